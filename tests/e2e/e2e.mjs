// End-to-end test: serves the release dist/ from a sub-path on 127.0.0.1, drives Debian's
// Chromium with playwright-core, drops real captures on the page through the file input, and
// checks what is drawn against tshark's answers (.oracle.json). Screenshots go to
// tests/e2e/out/ (git-ignored). Exits non-zero when any check fails.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './static_server.mjs';

const require = createRequire(path.resolve('tools/package.json'));
const { chromium } = require('playwright-core');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const corpus = path.join(root, 'tests/captures/public');
const outDir = path.join(root, 'tests/e2e/out');
const SUB_PATH = '/tools/tcp-ladder/';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 30_000;

let passed = 0, failed = 0;
async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok   ${name}`); }
  catch (e) { failed++; console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`); }
}
function expectEqual(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}
const oracle = (file) => JSON.parse(fs.readFileSync(path.join(corpus, `${file}.oracle.json`), 'utf8'));

async function load(page, base, filePath) {
  await page.goto(base);
  await page.locator('[data-testid="file-input"]').setInputFiles(filePath);
}

/// Loads a corpus capture, checks the summary, the connection list and the diagram of the
/// connection with the most packets (up to `maxSegments`), and saves a screenshot.
async function checkCapture(page, base, file, maxSegments = 5000) {
  const o = oracle(file);
  await load(page, base, path.join(corpus, file));
  const summary = page.locator('[data-testid="capture-summary"]');
  await summary.waitFor({ timeout: TIMEOUT });
  expectEqual(await summary.getAttribute('data-packets'), String(o.summary.packets_in_file), `${file}: packet count`);
  const connections = page.locator('[data-testid="connection"]');
  await connections.first().waitFor({ timeout: TIMEOUT });
  expectEqual(await connections.count(), o.streams.length, `${file}: connections`);

  const candidates = o.streams.filter((s) => s.packets <= maxSegments);
  const stream = candidates.reduce((a, b) => (b.packets > a.packets ? b : a));
  await page.locator(`[data-testid="connection"][data-stream="${stream.stream}"]`).click();
  await page.locator(`[data-testid="segment"][data-frame="${stream.last_frame}"]`).waitFor({ timeout: TIMEOUT });
  const frames = await page.locator('[data-testid="segment"]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
  const expectedFrames = o.packets.filter((p) => p.stream === stream.stream).map((p) => p.frame);
  expectEqual(frames.length, expectedFrames.length, `${file}: segments of stream ${stream.stream}`);
  expectEqual(JSON.stringify(frames), JSON.stringify(expectedFrames), `${file}: frame numbers of stream ${stream.stream}`);
  await page.screenshot({ path: path.join(outDir, `${file}.png`), fullPage: false });
}

async function main() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  fs.mkdirSync(outDir, { recursive: true });
  const { server, requests, port } = await serveDist(dist, SUB_PATH);
  const base = `http://127.0.0.1:${port}${SUB_PATH}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(`http://127.0.0.1:${port}/`) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url()); });
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await check('whois: handshake, data, four-way close, from a sub-path', () => checkCapture(page, base, 'tcpdump_whois.pcap'));
  await check('pcapng with 10 connections', () => checkCapture(page, base, 'ndpi_ocsp.pcapng'));
  await check('gzip-compressed pcap, 4102 segments', () => checkCapture(page, base, 'zeek_http_1000-requests-one-dropped-response.pcap.gz'));
  await check('Linux cooked v2 and IPv6', () => checkCapture(page, base, 'lwerdna_simple_http_sll2.pcap'));
  await check('a file that is not a capture gets a clear message', async () => {
    const tmp = path.join(outDir, 'not-a-capture.html');
    fs.writeFileSync(tmp, '<!DOCTYPE html><html><body>hello</body></html>');
    await load(page, base, tmp);
    const error = page.locator('[data-testid="error"]');
    await error.waitFor({ timeout: TIMEOUT });
    const text = await error.textContent();
    if (!/HTML file/.test(text)) throw new Error(`unexpected message: ${text}`);
    await page.screenshot({ path: path.join(outDir, 'not-a-capture.png') });
  });
  await check('a capture cut short shows what was read and where it broke', async () => {
    const whole = fs.readFileSync(path.join(corpus, 'tcpdump_whois.pcap'));
    const tmp = path.join(outDir, 'whois-cut.pcap');
    fs.writeFileSync(tmp, whole.subarray(0, whole.length - 30));
    await load(page, base, tmp);
    const error = page.locator('[data-testid="error"]');
    await error.waitFor({ timeout: TIMEOUT });
    const text = await error.textContent();
    if (!/offset \d+/.test(text) || !/frame 11/.test(text)) throw new Error(`message lacks offset or frame: ${text}`);
    expectEqual(await page.locator('[data-testid="capture-summary"]').getAttribute('data-packets'), '11', 'frames kept before the damage (the last one partial)');
  });
  await check('the page made no request outside its own origin', async () => {
    if (foreign.length) throw new Error(`foreign requests: ${foreign.join(', ')}`);
    if (!requests.every((u) => u.startsWith(SUB_PATH))) throw new Error(`requests outside the sub-path: ${requests.filter((u) => !u.startsWith(SUB_PATH)).join(', ')}`);
  });
  await check('no uncaught error or panic in the page', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });

  await browser.close();
  server.close();
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); console.log(`e2e: ${passed} passed, ${failed + 1} failed`); process.exit(1); });
