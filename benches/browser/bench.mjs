// Browser benchmark: for each capture, the time from the file being chosen to the full
// connection list in headless Chromium (release dist/, the worker reading the File in slices),
// the worker's peak wasm memory, and the time from clicking a connection to its diagram; and
// the same file opened by Wireshark compiled to wasm (@goodtools/wiregasm) computing its TCP
// conversation table, as the in-browser peer, in Node on the same machine. Runs alternate;
// medians are reported as ratios. Nothing here fails on speed: it prints what it measured.
//
//   node benches/browser/bench.mjs [FILE...]   (default: the largest public captures and
//   bench-data/*.pcap; BENCH_RUNS sets runs per side, default 3, 1 for files over 50 MB)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serveDist } from '../../tests/e2e/static_server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SUB_PATH = '/';

function defaultInputs() {
  const pub = path.join(root, 'tests/captures/public');
  const largest = fs.readdirSync(pub)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .map((f) => path.join(pub, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)
    .slice(0, 3);
  const bench = path.join(root, 'bench-data');
  const big = fs.existsSync(bench) ? fs.readdirSync(bench).filter((f) => f.endsWith('.pcap')).sort().map((f) => path.join(bench, f)) : [];
  return [...largest, ...big];
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mb = (bytes) => bytes / 1e6;

async function ours(browser, base, file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(base);
    // A user takes longer than the worker's start to pick a file: time from a ready page.
    await page.waitForFunction(() => document.querySelector('.app')?.dataset.workerReady === 'true');
    // Timed in the page: from the input's change event to the summary (the full list).
    await page.evaluate(() => {
      window.__t = {};
      document.addEventListener('change', () => { window.__t.chosen ??= performance.now(); }, true);
      new MutationObserver(() => {
        if (!window.__t.listed && document.querySelector('[data-testid="capture-summary"]')) window.__t.listed = performance.now();
        if (!window.__t.drawn && document.querySelector('.diagram-pane [data-testid="segment"]')) window.__t.drawn = performance.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('[data-testid="file-input"]').setInputFiles(file);
    const summary = page.locator('[data-testid="capture-summary"]');
    await summary.waitFor({ timeout: 1_800_000 });
    const ms = await page.evaluate(() => window.__t.listed - window.__t.chosen);
    // Where the worker spent the read (src/bin/worker/main.rs, `tcpLadderProfile`).
    const worker = page.workers().find((w) => /tcp-ladder-worker/.test(w.url()));
    const profile = worker ? await worker.evaluate(() => self.tcpLadderProfile ?? null) : null;
    // The first connection's diagram, drawn while or after the file is read.
    const connections = Number(await summary.getAttribute('data-connections'));
    let memory = Number(await summary.getAttribute('data-memory'));
    const pageHeap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
    // The first connection's diagram is drawn on its own; then a click on another connection
    // (or the same one again), timed to its first arrow.
    await page.locator('.diagram-pane [data-testid="segment"]').first().waitFor({ timeout: 1_800_000 });
    const firstDiagram = await page.evaluate(() => window.__t.drawn - window.__t.chosen);
    const paint = await page.evaluate(async () => {
      const rows = [...document.querySelectorAll('[data-testid="connection"]')];
      const row = rows[1] ?? rows[0];
      if (!row) return null;
      const stream = row.dataset.stream;
      const t0 = performance.now();
      row.click();
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelector(`.diagram-pane[data-stream="${stream}"] [data-testid="segment"]`)) return performance.now() - t0;
        if (performance.now() - t0 > 60_000) return null;
      }
    });
    // The stream tools on the connection shown, once the worker has laid out the whole file
    // (a reader clicks them on a settled page): click → the time-sequence graph drawn, then
    // click → the first chunk of the followed stream.
    await page.locator('.diagram-pane[data-layout-final="true"]').waitFor({ timeout: 1_800_000 });
    // The worker's memory once the first connection has been laid out in full too (wasm memory
    // only grows: a connection of millions of segments lays out in a few hundred MB of its own).
    const afterLayout = Math.max(memory, Number(await page.locator('.diagram-pane').first().getAttribute('data-worker-memory').catch(() => 0)) || 0);
    const timeTool = (tab, selector) => page.evaluate(async ([tab, selector]) => {
      const t0 = performance.now();
      document.querySelector(`[data-testid="${tab}"]`).click();
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelector(selector)) return performance.now() - t0;
        if (performance.now() - t0 > 120_000) return null;
      }
    }, [tab, selector]);
    const graph = await timeTool('tool-graph', '[data-testid="graph"] [data-testid="graph-point"]');
    const follow = await timeTool('tool-follow', '[data-testid="follow-chunk"], [data-testid="follow"][data-total="0"]');
    return { ms, connections, memory, afterLayout, pageHeap, paint, firstDiagram, graph, follow, profile };
  } finally {
    await context.close();
  }
}

// The native core on the same file, read in 4 MiB pieces and kept as the worker keeps it (the release
// example `time_analysis`, which scripts/bench.sh builds): the denominator of browser/native.
function nativeCore(file) {
  const exe = path.join(root, 'target/release/examples/time_analysis');
  if (!fs.existsSync(exe)) return null;
  try {
    const out = execFileSync(exe, [file, '--core-only', '--placed'], { timeout: 600_000 }).toString();
    const m = /in pieces (\d+) ms/.exec(out);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function wiregasm(file) {
  try {
    const out = execFileSync('node', ['--max-old-space-size=8192', path.join(root, 'benches/browser/wiregasm_peer.mjs'), file], { maxBuffer: 1 << 24, timeout: 1_800_000 }).toString();
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    return { ok: false, error: String(e?.message ?? e).split('\n')[0].slice(0, 120) };
  }
}

async function main() {
  const files = process.argv.slice(2).length ? process.argv.slice(2) : defaultInputs();
  if (!fs.existsSync(path.join(root, 'dist/index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  const { server, port } = await serveDist(path.join(root, 'dist'), SUB_PATH);
  const base = `http://127.0.0.1:${port}${SUB_PATH}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  const version = browser.version();
  console.log(`browser benchmark: tcp-ladder in Chromium ${version} (headless) vs Wiregasm 1.9.1 in Node ${process.version}; medians of alternating runs`);
  // ours ms: file chosen → full connection list; 1st diag: file chosen → first diagram drawn;
  // native ms: the same core natively (release, 4 MiB pieces), br/nat the ratio of the two;
  // click ms: click on another connection → its first arrow; worker MB: the worker's wasm
  // memory at its peak when the list is complete (the first diagram, laid out while reading,
  // included); +layout MB: the same once the first connection is laid out in full.
  // graph ms: click on the Graphs tab → the time-sequence graph's points drawn; follow ms:
  // click on Follow stream → its first chunk (both on the connection shown).
  console.log(['input', 'MB', 'ours ms', 'MB/s', 'native ms', 'br/nat', 'conns', 'worker MB', '+layout MB', '1st diag', 'click ms', 'graph ms', 'follow ms', 'wg load ms', 'wg +conv ms', 'wg MB', 'ratio load', 'ratio +conv'].map((h, i) => (i ? h.padStart(12) : h.padEnd(46))).join(''));
  for (const file of files) {
    const size = fs.statSync(file).size;
    const runs = Number(process.env.BENCH_RUNS ?? (size > 50e6 ? 1 : 3));
    // Wiregasm needs minutes per 100 MB; above this size it is not run (WIREGASM_MAX_MB).
    const peerMax = Number(process.env.WIREGASM_MAX_MB ?? 300) * 1e6;
    const a = [], b = [], natives = [];
    let last = null, peer = null;
    for (let i = 0; i < runs; i++) {
      // The native core first: right after a browser run, Chromium is still giving back its
      // memory and slows a run beside it (short-1000MB: 8.7 s instead of 4.0 s).
      const native = nativeCore(file);
      if (native !== null) natives.push(native);
      last = await ours(browser, base, file);
      a.push(last);
      peer = size <= peerMax ? wiregasm(file) : { ok: false, error: `not run: over WIREGASM_MAX_MB (${peerMax / 1e6} MB)` };
      if (peer.ok) b.push(peer);
    }
    const oursMs = median(a.map((r) => r.ms));
    const memory = Math.max(...a.map((r) => r.memory));
    const paint = median(a.map((r) => r.paint ?? NaN));
    const wgMs = b.length ? median(b.map((r) => r.ms)) : null;
    const wgLoad = b.length ? median(b.map((r) => r.load_ms)) : null;
    const wgMem = b.length ? Math.max(...b.map((r) => r.memory_bytes)) : null;
    const cells = [
      path.basename(file).padEnd(46),
      mb(size).toFixed(1), oursMs.toFixed(0), (mb(size) / (oursMs / 1000)).toFixed(1),
      natives.length ? median(natives).toFixed(0) : 'n/a', natives.length && median(natives) > 0 ? `${(oursMs / median(natives)).toFixed(1)}×` : 'n/a', String(last.connections),
      mb(memory).toFixed(0), mb(Math.max(...a.map((r) => r.afterLayout))).toFixed(0), median(a.map((r) => r.firstDiagram)).toFixed(0), Number.isFinite(paint) ? paint.toFixed(0) : 'n/a',
      ...['graph', 'follow'].map((k) => { const v = median(a.map((r) => r[k] ?? NaN)); return Number.isFinite(v) ? v.toFixed(0) : 'n/a'; }),
      wgLoad === null ? (size <= peerMax ? 'failed' : 'not run') : wgLoad.toFixed(0),
      wgMs === null ? (size <= peerMax ? 'failed' : 'not run') : wgMs.toFixed(0), wgMem === null ? 'n/a' : mb(wgMem).toFixed(0),
      wgLoad === null ? 'n/a' : `${(wgLoad / oursMs).toFixed(1)}×`,
      wgMs === null ? 'n/a' : `${(wgMs / oursMs).toFixed(1)}×`,
    ];
    console.log(cells.map((c, i) => (i ? String(c).padStart(12) : c)).join(''));
    const p = last.profile;
    if (p) console.log(`     worker (last run): ${p.total.toFixed(0)} ms from open to done in ${p.slices} slices: waiting for the file's bytes and copying them into wasm ${p.read.toFixed(0)} ms, analysis ${p.analyse.toFixed(0)} ms, progress messages ${p.progress.toFixed(0)} ms, other ${(p.total - p.read - p.analyse - p.progress).toFixed(0)} ms; the page's requests answered meanwhile (inside the waits): ${Object.entries(p.requests ?? {}).map(([k, v]) => `${k} ${v.count}× ${v.ms.toFixed(0)} ms`).join(', ')}`);
    if (wgMs === null) console.log(`     wiregasm: ${peer?.error}`);
    if (b.length && b[0].conversations !== last.connections) console.log(`     note: wiregasm counted ${b[0].conversations} TCP conversations, tcp-ladder ${last.connections} connections (port reuse splits a conversation into several tcp.stream connections)`);
  }
  await browser.close();
  server.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
