#!/usr/bin/env python3
"""Trunk post-build hook: finishes the static site in Trunk's staging folder.

1. Gives the analysis worker's files a content hash in their names (Trunk names them
   tcp-ladder-worker.js, _bg.wasm and _loader.js), rewrites the loader to the new names and
   tells the page where the loader is (a <link rel="tcp-ladder-worker"> in index.html): no
   host cache and no service worker can pair a new page with an old worker.
2. Makes the Content-Security-Policy exact: the one inline script Trunk writes (the module
   that starts the app) is allowed by its SHA-256 hash, and no other inline script can run
   (index.html says `'unsafe-inline'` nowhere; the policy's script-src placeholder
   `'inline-script-hashes'` is replaced here); so is the exported SVG's style sheet, which the
   PNG export applies inside a blob: image that the page's policy governs.
3. Writes sw.js, the service worker that keeps the built site for offline use: the list of
   files and a version made from their hashes, so a new build is a new cache. It never sees
   capture data: a user's capture is read from the File the user chose, never fetched.

Runs with Trunk's TRUNK_STAGING_DIR; by hand: finish_dist.py DIR.
"""
import base64
import hashlib
import json
import re
import os
import sys
from pathlib import Path

staging = Path(os.environ.get("TRUNK_STAGING_DIR") or sys.argv[1])


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


worker_js = staging / "tcp-ladder-worker.js"
worker_wasm = staging / "tcp-ladder-worker_bg.wasm"
loader = staging / "tcp-ladder-worker_loader.js"
index = staging / "index.html"
if worker_js.exists() and worker_wasm.exists() and loader.exists():
    js_name = f"tcp-ladder-worker-{digest(worker_js.read_bytes())}.js"
    wasm_name = f"tcp-ladder-worker-{digest(worker_wasm.read_bytes())}_bg.wasm"
    worker_js.rename(staging / js_name)
    worker_wasm.rename(staging / wasm_name)
    text = loader.read_text()
    text = text.replace("./tcp-ladder-worker.js", f"./{js_name}").replace("./tcp-ladder-worker_bg.wasm", f"./{wasm_name}")
    loader_name = f"tcp-ladder-worker-{digest(text.encode())}_loader.js"
    loader.unlink()
    (staging / loader_name).write_text(text)
    html = index.read_text()
    html = html.replace("</head>", f'<link rel="tcp-ladder-worker" href="./{loader_name}" />\n</head>', 1)
    index.write_text(html)

# The inline scripts of the page, allowed by hash and nothing else.
html = index.read_text()
hashes = [
    "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
    for body in re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    if body.strip()
]
if "'inline-script-hashes'" not in html or "'export-style-hash'" not in html:
    sys.exit("finish_dist.py: index.html's Content-Security-Policy lacks a hash placeholder")
html = html.replace("'inline-script-hashes'", " ".join(hashes) or "'none'")
# The exported SVG's one <style> (src/diagram/export_style.css, included verbatim), which the
# PNG export applies in a blob: image under this policy.
export_css = (Path(__file__).resolve().parent.parent / "src/diagram/export_style.css").read_bytes()
html = html.replace("'export-style-hash'", "'sha256-" + base64.b64encode(hashlib.sha256(export_css).digest()).decode() + "'")
index.write_text(html)

files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file() and p.name != "sw.js")
version = digest("".join(f + digest((staging / f).read_bytes()) for f in files).encode())
sw = f"""// The built site, kept for offline use (written by scripts/finish_dist.py; do not edit).
// Only these files of this origin are cached; nothing else passes through here.
const VERSION = {json.dumps(version)};
const FILES = {json.dumps(["./"] + ["./" + f for f in files])};
self.addEventListener('install', (event) => {{
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(FILES)));
}});
self.addEventListener('activate', (event) => {{
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
}});
self.addEventListener('fetch', (event) => {{
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(VERSION).then((cache) => cache.match(request, {{ ignoreSearch: true }}).then((hit) => hit || fetch(request))));
}});
"""
(staging / "sw.js").write_text(sw)
print(f"finish_dist: worker files hashed, sw.js version {version} with {len(files)} files")
