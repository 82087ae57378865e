// What reading each connection's opening (the list's "what" column, read while the file is
// read) costs the page's worker: each capture opened in headless Chromium with and without
// `?openings=off` (the worker then reads none), runs alternating, in fresh browser contexts.
// Reports the medians and the least of the worker's own time from open to done
// (`tcpLadderProfile.total`) and of the page's time from the file chosen to the full list.
// Nothing here fails on speed: it prints what it measured (scripts/bench.sh runs it).
//
//   node benches/browser/openings.mjs [FILE...]   (default: bench-data/*.pcap; OPENINGS_RUNS
//   sets runs per side, default 5)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from '../../tests/e2e/static_server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const least = (v) => Math.min(...v);
const cost = (a, b) => `${((b / a - 1) * 100) >= 0 ? '+' : ''}${((b / a - 1) * 100).toFixed(1)} %`;

async function openOnce(browser, url, file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('.app')?.dataset.workerReady === 'true');
    await page.evaluate(() => {
      window.__t = {};
      document.addEventListener('change', () => { window.__t.chosen ??= performance.now(); }, true);
      new MutationObserver(() => {
        if (!window.__t.listed && document.querySelector('[data-testid="capture-summary"]')) window.__t.listed = performance.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('[data-testid="file-input"]').setInputFiles(file);
    await page.locator('[data-testid="capture-summary"]').waitFor({ timeout: 1_800_000 });
    const listed = await page.evaluate(() => window.__t.listed - window.__t.chosen);
    const worker = page.workers().find((w) => /tcp-ladder-worker/.test(w.url()));
    const profile = worker ? await worker.evaluate(() => self.tcpLadderProfile ?? null) : null;
    // With the openings read, the list says what each connection speaks.
    const what = await page.locator('[data-testid="connection-what"]').first().textContent().catch(() => null);
    return { listed, worker: profile?.total ?? NaN, analyse: profile?.analyse ?? NaN, what };
  } finally {
    await context.close();
  }
}

async function main() {
  const bench = path.join(root, 'bench-data');
  const files = process.argv.slice(2).length ? process.argv.slice(2) : (fs.existsSync(bench) ? fs.readdirSync(bench).filter((f) => f.endsWith('.pcap')).sort().map((f) => path.join(bench, f)) : []);
  if (!fs.existsSync(path.join(root, 'dist/index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  const { server, port } = await serveDist(path.join(root, 'dist'), '/');
  const base = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'] });
  const runs = Number(process.env.OPENINGS_RUNS ?? 5);
  console.log(`openings' cost in the page's worker (Chromium ${browser.version()}, ${runs} alternating runs each way; worker ms: open to done; list ms: file chosen to the full list)`);
  console.log('| file | MB | worker ms without (median, least) | with | cost (medians, least) | list ms without | with | cost | first row says |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const file of files) {
    const without = [], withThem = [];
    for (let i = 0; i < runs; i++) {
      without.push(await openOnce(browser, `${base}?openings=off`, file));
      withThem.push(await openOnce(browser, base, file));
    }
    const w0 = without.map((r) => r.worker), w1 = withThem.map((r) => r.worker);
    const l0 = without.map((r) => r.listed), l1 = withThem.map((r) => r.listed);
    const said = withThem[0].what ?? 'n/a';
    if (without[0].what && without[0].what !== 'no payload' && !/^\s*$/.test(without[0].what)) console.log(`  note: without openings the first row still says "${without[0].what}"`);
    console.log(`| ${path.basename(file)} | ${(fs.statSync(file).size / 1e6).toFixed(1)} | ${median(w0).toFixed(0)}, ${least(w0).toFixed(0)} | ${median(w1).toFixed(0)}, ${least(w1).toFixed(0)} | ${cost(median(w0), median(w1))}, ${cost(least(w0), least(w1))} | ${median(l0).toFixed(0)} | ${median(l1).toFixed(0)} | ${cost(median(l0), median(l1))} | ${said} |`);
  }
  await browser.close();
  server.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
