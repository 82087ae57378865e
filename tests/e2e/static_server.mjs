// A tiny static server for the end-to-end test: serves dist/ under a sub-path (as a user's
// static host might), on 127.0.0.1 only, and remembers every request it saw.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.pcap': 'application/vnd.tcpdump.pcap', '.webmanifest': 'application/manifest+json', '.pcapng': 'application/octet-stream', '.gz': 'application/gzip',
};

export function serveDist(distDir, subPath) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(subPath)) { res.writeHead(404); res.end('outside the sub-path'); return; }
    let rel = decodeURIComponent(url.pathname.slice(subPath.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(distDir, path.normalize(rel));
    if (!file.startsWith(distDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })));
}
