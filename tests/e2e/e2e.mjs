// End-to-end test: serves the release dist/ from a sub-path on 127.0.0.1, drives Debian's
// Chromium with playwright-core, drops real captures on the page through the file input, and
// checks what is drawn against tshark's answers (.oracle.json). Screenshots go to
// tests/e2e/out/ (git-ignored). Exits non-zero when any check fails.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serveDist } from './static_server.mjs';
import { makeBigCapture } from './big_capture.mjs';
import { launchChromium, toolsRequire } from './browser.mjs';
import { registerReadingGaps } from './reading_gaps.mjs';
import { registerReadingChecks } from './reading_checks.mjs';
import { registerMergeChecks } from './merge_checks.mjs';

const AXE_SOURCE = fs.readFileSync(toolsRequire.resolve('axe-core/axe.min.js'), 'utf8');

/// axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is; returns the violations in words.
async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const corpus = path.join(root, 'tests/captures/public');
const outDir = path.join(root, 'tests/e2e/out');
const SUB_PATH = '/tools/tcp-ladder/';
const TIMEOUT = 30_000;
const CLI = process.env.TCP_LADDER_CLI ?? path.join(root, 'target/debug/tcp-ladder');

let passed = 0, failed = 0;
// Every check stands alone: it gets a fresh browser context (no storage, URL fragment, service
// worker, selection or toggle carried over) and a fresh page, and waits for what it needs by
// condition. Checks are registered first and run afterwards, in the order written or, with
// E2E_SHUFFLE=SEED, in an order shuffled from that seed (the same seed gives the same order).
// E2E_ONLY=regex runs only the checks whose names match (the closing privacy and error checks
// always run): for working on one part of the page.
// E2E_CHECK=N runs only the Nth check as written (1-based; the closing checks still run), and
// E2E_LIST=1 lists the checks with their numbers: scripts/e2e_each_alone.sh runs each alone.
const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
const ONLY_INDEX = process.env.E2E_CHECK ? Number(process.env.E2E_CHECK) : null;
const SHUFFLE = process.env.E2E_SHUFFLE;
const CHECK_TIMEOUT = 10 * 60_000;
const failuresDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../target/e2e-failures');
const registered = [];
const closing = [];
/// Registers a check; `fn(page, context)` runs later on a page of its own.
function check(name, fn) { registered.push({ name, fn }); }
/// Registers a check that reads what every other check left (requests, errors): it runs last.
function closingCheck(name, fn) { closing.push({ name, fn }); }

/// A small seeded generator (mulberry32): a shuffled order can be run again from its seed.
function seededRandom(seed) {
  let a = [...String(seed)].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 0x9e3779b9);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffled(list, seed) {
  const random = seededRandom(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/// What every check's pages did, for the closing checks and for a failing check's report.
const foreign = [];
const consoleErrors = [];
function watch(context, name, port, log) {
  const own = `http://127.0.0.1:${port}/`;
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(own) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(`${url} (in "${name}")`);
  });
  context.on('page', (page) => {
    page.on('pageerror', (e) => { consoleErrors.push(`${String(e)} (in "${name}")`); log.push(`[pageerror] ${String(e)}`); });
    page.on('console', (m) => {
      log.push(`[${m.type()}] ${m.text()}`);
      // A Content-Security-Policy violation (an inline script, a foreign origin) is an error.
      if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) consoleErrors.push(`CSP: ${m.text()} (in "${name}")`);
    });
  });
}

/// A failing check leaves its page's screenshot and console under target/e2e-failures/.
async function saveFailure(page, name, index, log, error) {
  fs.mkdirSync(failuresDir, { recursive: true });
  const stem = path.join(failuresDir, `${String(index).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60)}`);
  const saved = [];
  try { await page.screenshot({ path: `${stem}.png`, fullPage: false, timeout: 15_000 }); saved.push(`${stem}.png`); } catch (e) { log.push(`[e2e] no screenshot: ${e.message}`); }
  try { log.push(`[e2e] page URL at failure: ${page.url()}`); } catch { /* page gone */ }
  fs.writeFileSync(`${stem}.console.txt`, `${name}\n${String(error?.stack ?? error)}\n\n${log.join('\n')}\n`);
  saved.push(`${stem}.console.txt`);
  console.log(`     saved: ${saved.join(', ')}`);
}

async function runCheck(browser, port, { name, fn }, index) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const log = [];
  watch(context, name, port, log);
  const page = await context.newPage();
  const started = Date.now();
  let timer;
  try {
    const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`the check took more than ${CHECK_TIMEOUT / 60_000} minutes`)), CHECK_TIMEOUT); });
    await Promise.race([fn(page, context), timeout]);
    passed++;
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`);
    await saveFailure(page, name, index, log, e);
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
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
  const expectedFrames = o.packets.filter((p) => p.stream === stream.stream).map((p) => p.frame);
  const frames = async () => page.locator('[data-testid="segment"][data-frame]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
  await page.locator(`[data-testid="segment"][data-frame="${expectedFrames[0]}"]`).waitFor({ timeout: TIMEOUT });
  const drawn = await frames();
  if (expectedFrames.length <= 60) {
    // The page keeps only the arrows near the scroll position in the DOM (1500 px beyond the
    // view): the frames drawn at the top and, scrolled to the bottom, there, together.
    const seen = new Set(drawn);
    await page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.locator(`[data-testid="segment"][data-frame="${expectedFrames[expectedFrames.length - 1]}"]`).waitFor({ timeout: TIMEOUT });
    (await frames()).forEach((f) => seen.add(f));
    await page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    const all = [...seen].sort((a, b) => a - b);
    expectEqual(JSON.stringify(all), JSON.stringify(expectedFrames), `${file}: frame numbers of stream ${stream.stream}`);
  } else {
    // A long connection: runs of plain segments are collapsed into rows that carry
    // data-frames="first-last"; every segment is an arrow or inside one of them.
    const groups = async () => page.locator('[data-testid="segment"][data-frames]').evaluateAll((els) => els.map((e) => e.dataset.frames.split('-').map(Number)));
    const g = await groups();
    if (!g.length) throw new Error(`${file}: no collapsed run in a ${expectedFrames.length}-segment connection`);
    const inGroups = (gs) => expectedFrames.filter((f) => gs.some(([a, b]) => f >= a && f <= b)).length;
    expectEqual(drawn.length + inGroups(g), expectedFrames.length, `${file}: arrows plus collapsed segments`);
    if (drawn.length > 400) throw new Error(`${file}: ${drawn.length} arrows in the DOM`);
    const before = drawn.length;
    // Enter (keyboard) opens the collapsed run.
    await page.locator('.diagram-pane').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="segment"][data-frame]').length > n, before);
    const after = await frames();
    if (after.length > 400) throw new Error(`${file}: ${after.length} arrows in the DOM after expanding`);
  }
  await page.screenshot({ path: path.join(outDir, `${file}.png`), fullPage: false });
}

/// Loads one of the seed captures from the bundled samples and checks the diagram against what
/// the source document describes: the close shape, the states on both lifelines, one arrow per
/// segment, the explanation and header fields of a selected arrow, and the exports.
async function checkSeed(page, base, file, { frames, close, states, explainFrame, explainText, shot }) {
  await page.goto(base);
  await page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
  await page.locator(`[data-testid="segment"][data-frame="${frames}"]`).waitFor({ timeout: TIMEOUT });
  expectEqual(await page.locator('[data-testid="segment"]').count(), frames, `${file}: arrows`);
  const phases = await page.locator('[data-testid="phase"]').evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.dataset.frames}`));
  if (!phases.includes(close)) throw new Error(`${file}: phases ${phases.join(', ')} lack ${close}`);
  if (!phases.some((p) => p.startsWith('handshake:1-3'))) throw new Error(`${file}: no handshake phase in ${phases.join(', ')}`);
  const got = await page.locator('[data-testid="state"]').evaluateAll((els) => els.map((e) => `${e.dataset.side}:${e.dataset.state}@${e.dataset.frame}`));
  for (const s of states) if (!got.includes(s)) throw new Error(`${file}: state ${s} missing from ${got.join(' ')}`);
  // A phase's title may be wrapped over lines: one title per phase, its lines joined.
  const title = await page.locator('[data-testid="phase"]').evaluateAll((ps) => ps.map((p) => [...p.querySelectorAll('.phase-title')].map((t) => t.textContent).join(' ')));
  await page.locator(`[data-testid="segment"][data-frame="${explainFrame}"]`).click();
  const explanation = await page.locator('[data-testid="explanation"]').textContent();
  if (!explanation.includes(explainText)) throw new Error(`${file}: explanation of frame ${explainFrame} lacks "${explainText}": ${explanation}`);
  const detail = await page.locator('[data-testid="packet-detail"]').textContent();
  for (const field of ['Sequence number', 'Acknowledgment number', 'Window', 'Source address']) {
    if (!detail.includes(field)) throw new Error(`${file}: packet detail lacks ${field}`);
  }
  // The hex dump: offsets, hex and ASCII; hovering a byte lights its field, and the field its bytes.
  const dump = page.locator('[data-testid="hexdump"]');
  const firstRow = await dump.locator('.hex-row').first().textContent();
  if (!/^0000 [0-9a-f]{2} /.test(firstRow) || !(await dump.locator('.hex-ascii').count())) throw new Error(`${file}: hex dump row ${firstRow}`);
  await dump.locator('.byte').nth(12).hover();
  const lit = await page.locator('[data-testid="packet-detail"] tr.lit th').textContent();
  if (lit !== 'EtherType') throw new Error(`${file}: byte 12 lights ${lit}, not EtherType`);
  if ((await dump.locator('.byte.lit').count()) !== 2) throw new Error(`${file}: EtherType's two bytes are not lit`);
  // Keyboard: down arrow moves to the next segment.
  await page.locator('.diagram-pane').press('ArrowDown');
  const nextFrame = await page.locator('[data-testid="segment"].selected').getAttribute('data-frame');
  expectEqual(nextFrame, String(explainFrame + 1), `${file}: ArrowDown selects the next segment`);
  await page.screenshot({ path: path.join(outDir, shot), fullPage: true });
  // SVG export: a download, valid XML with one arrow group per segment, the same bytes as the CLI.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-svg"]').click()]);
  const svgPath = path.join(outDir, `${file}.svg`);
  await download.saveAs(svgPath);
  const svg = fs.readFileSync(svgPath, 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, arrows: doc.querySelectorAll('g.seg').length };
  }, svg);
  if (parsed.error) throw new Error(`${file}: exported SVG is not well-formed XML`);
  expectEqual(parsed.arrows, frames, `${file}: arrows in the exported SVG`);
  const cli = execFileSync(CLI, ['render', path.join(root, 'static/samples', file), '--stream', '0']).toString();
  if (cli !== svg) throw new Error(`${file}: the page's SVG differs from tcp-ladder render's (${svg.length} vs ${cli.length} bytes)`);
  // PNG export: a real PNG image.
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-png"]').click()]);
  const pngPath = path.join(outDir, `${file}.png-export.png`);
  await png.saveAs(pngPath);
  const pngBytes = fs.readFileSync(pngPath);
  if (pngBytes.length < 5000 || pngBytes.subarray(1, 4).toString() !== 'PNG') throw new Error(`${file}: PNG export is not a PNG image (${pngBytes.length} bytes)`);
  // Mermaid text.
  await page.locator('[data-testid="export-mermaid"]').click();
  const mermaid = await page.locator('[data-testid="export-text"]').inputValue();
  if (!mermaid.startsWith('sequenceDiagram') || (mermaid.match(/->>/g) || []).length !== frames) {
    throw new Error(`${file}: Mermaid text is not a sequenceDiagram with ${frames} messages`);
  }
  return title;
}

async function main() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  fs.mkdirSync(outDir, { recursive: true });
  const { server, requests, port } = await serveDist(dist, SUB_PATH);
  const base = `http://127.0.0.1:${port}${SUB_PATH}`;
  const browser = await launchChromium();
  // 20 copies of the bulk transfer: 2.3 million segments, 255 MB, read in the worker (made once
  // before any check, reused by the checks that need it).
  const big = makeBigCapture(root, path.join(outDir, 'bulk-x20.pcap'), 20);
  const bigSize = fs.statSync(big).size;

  check('whois: handshake, data, four-way close, from a sub-path', (page) => checkCapture(page, base, 'tcpdump_whois.pcap'));
  check('pcapng with 10 connections', (page) => checkCapture(page, base, 'ndpi_ocsp.pcapng'));
  check('gzip-compressed pcap, 4102 segments', (page) => checkCapture(page, base, 'zeek_http_1000-requests-one-dropped-response.pcap.gz'));
  check('printing: the whole diagram of the selected connection across pages, none of the controls', async (page, context) => {
    // The 4102-segment connection of the gzip capture, opened here (checks share nothing).
    const file = 'zeek_http_1000-requests-one-dropped-response.pcap.gz';
    await checkCapture(page, base, file);
    const o = oracle(file);
    const stream = Number(await page.locator('.diagram-pane').getAttribute('data-stream'));
    const last = o.packets.filter((p) => p.stream === stream).pop().frame;
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    await page.locator(`[data-testid="segment"][data-frame="${last}"]`).waitFor({ state: 'attached', timeout: TIMEOUT });
    for (const sel of ['.toolbar', '.connections', '[data-testid="app-bar"]', '.zoom-bar']) {
      if (await page.locator(sel).first().isVisible()) throw new Error(`${sel} prints`);
    }
    const pdf = await page.pdf({ landscape: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    fs.writeFileSync(path.join(outDir, 'print.pdf'), pdf);
    if (pages < 2) throw new Error(`the printout has ${pages} page(s)`);
    console.log(`     printed ${pages} pages`);
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  });
  check('Linux cooked v2 and IPv6', (page) => checkCapture(page, base, 'lwerdna_simple_http_sll2.pcap'));
  check('1994 connections: the list keeps a small DOM, filter and sort work', async (page, context) => {
    const o = oracle('chrissanders_synscan.pcapng');
    await load(page, base, path.join(corpus, 'chrissanders_synscan.pcapng'));
    await page.locator('[data-testid="connection"]').first().waitFor({ timeout: TIMEOUT });
    const heading = await page.locator('.connections h2').textContent();
    if (!heading.includes(`of ${o.streams.length}`)) throw new Error(`heading: ${heading}`);
    const rows = await page.locator('[data-testid="connection"]').count();
    if (rows > 250) throw new Error(`${rows} rows in the DOM for ${o.streams.length} connections`);
    await page.locator('[data-testid="connection-filter"]').fill('refused');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="connection"]').length < 50);
    const shown = await page.locator('[data-testid="connection"] .shape').allTextContents();
    if (!shown.length || !shown.every((t) => t.startsWith('refused'))) throw new Error(`filtered rows: ${shown.join(' | ')}`);
    // The filter language: a field with a value, a message when nothing matches.
    const port80 = o.streams.filter((s) => s.client.port === 80 || s.server.port === 80).length;
    await page.locator('[data-testid="connection-filter"]').fill('port:80');
    await page.waitForFunction(() => /^Connections \(\d+ of/.test(document.querySelector('nav.connections h2')?.textContent ?? '') && !/filtering/.test(document.querySelector('nav.connections h2').textContent));
    const heading80 = await page.locator('nav.connections h2').textContent();
    if (!heading80.startsWith(`Connections (${port80} of`)) throw new Error(`port:80 heading ${heading80}, oracle has ${port80}`);
    const ports = await page.locator('[data-testid="connection"] .endpoints').allTextContents();
    if (!ports.length || !ports.every((t) => /:80( |$)/.test(t))) throw new Error(`port:80 rows: ${ports.slice(0, 5).join(' | ')}`);
    // Every example the filter help gives is read by the filter (no "cannot be read").
    await page.locator('[data-testid="filter-help"] summary').click();
    const examples = (await page.locator('[data-testid="filter-help"] code').allTextContents()).filter((t) => !t.includes('…'));
    if (examples.length < 8) throw new Error(`filter help examples: ${examples.join(' | ')}`);
    for (const ex of examples) {
      await page.locator('[data-testid="connection-filter"]').fill(ex);
      await page.waitForTimeout(300);
      await page.waitForFunction(() => !/filtering/.test(document.querySelector('nav.connections h2')?.textContent ?? 'filtering'));
      const message = await page.locator('[data-testid="list-message"]').allTextContents();
      if (message.some((m) => m.includes('cannot be read'))) throw new Error(`the filter help's example "${ex}": ${message.join(' ')}`);
    }
    // Nothing matching, or a filter that cannot be read, leaves the diagram being read on
    // screen (#24: it went); an unknown field, or an unknown value of shape: or flag:, is named as such.
    const reading = await page.locator('.diagram-pane').getAttribute('data-stream');
    for (const [query, said] of [['no-such-thing', 'No connection matches “no-such-thing”'], ['bogus:xyz', "unknown field 'bogus'"], ['tcp.window_size == 5', "unknown field 'tcp.window_size'"], ['flag:zzz', "unknown flag 'zzz': flags are the TCP flags syn"], ['shape:zzz', "unknown shape 'zzz': shapes are handshake"]]) {
      await page.locator('[data-testid="connection-filter"]').fill(query);
      await page.locator('[data-testid="list-message"]', { hasText: said }).waitFor({ timeout: TIMEOUT })
        .catch(async () => { throw new Error(`"${query}": the message is ${await page.locator('[data-testid="list-message"]').allTextContents()}, not "${said}"`); });
      await page.waitForTimeout(300);
      expectEqual(await page.locator('.diagram-pane').getAttribute('data-stream', { timeout: 2000 }).catch(() => null), reading, `the diagram on screen after "${query}"`);
      expectEqual(await page.locator('[data-testid="connection"]').count(), 0, `rows after "${query}"`);
    }
    // Autocomplete (#24): a combobox offering the fields, then a field's values, by keyboard.
    const filter = page.locator('[data-testid="connection-filter"]');
    await filter.fill('');
    await filter.focus();
    await page.keyboard.type('sh');
    const offered = async () => page.locator('[data-testid="filter-suggestion"] code').allTextContents();
    await page.locator('[data-testid="filter-suggestion"]').first().waitFor({ timeout: TIMEOUT });
    expectEqual((await offered()).join(), 'shape:', 'suggestions for "sh"');
    expectEqual(await filter.getAttribute('role'), 'combobox', 'the filter box role');
    expectEqual(await filter.getAttribute('aria-expanded'), 'true', 'aria-expanded with suggestions');
    await page.keyboard.press('ArrowDown');
    const activeId = await filter.getAttribute('aria-activedescendant');
    expectEqual(await page.locator(`#${activeId}`).getAttribute('aria-selected'), 'true', 'the active suggestion');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-filter"]').value === 'shape:');
    // Taking a field offers its values, which the filter reads.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="filter-suggestion"]').length >= 8);
    const shapes = await offered();
    if (!shapes.includes('shape:refused') || !shapes.includes('shape:three-segment')) throw new Error(`values offered after "shape:": ${shapes.join(' ')}`);
    for (const v of await axeViolations(page)) throw new Error(`the suggestion list open: ${v}`);
    await page.keyboard.type('ref');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="filter-suggestion"] code')].map((c) => c.textContent).join() === 'shape:refused');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-filter"]').value === 'shape:refused');
    await page.locator('[data-testid="filter-suggestion"]').first().waitFor({ state: 'detached', timeout: TIMEOUT });
    expectEqual(await filter.getAttribute('aria-expanded'), 'false', 'aria-expanded once a value is taken');
    await page.waitForFunction(() => !/filtering/.test(document.querySelector('nav.connections h2')?.textContent ?? 'filtering'));
    const refused = await page.locator('[data-testid="connection"] .shape').allTextContents();
    if (!refused.length || !refused.every((t) => t.startsWith('refused'))) throw new Error(`rows after taking shape:refused: ${refused.slice(0, 3).join(' | ')}`);
    // Wireshark's forms too; a click takes one; Escape closes the list and keeps the text.
    await page.keyboard.type(' tcp.p');
    await page.locator('[data-testid="filter-suggestion"]', { hasText: 'tcp.port ==' }).click();
    expectEqual(await filter.inputValue(), 'shape:refused tcp.port == ', 'the filter after clicking a suggestion');
    await page.keyboard.type('80 fl');
    await page.locator('[data-testid="filter-suggestion"]').first().waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="filter-suggestion"]').first().waitFor({ state: 'detached', timeout: TIMEOUT });
    expectEqual(await filter.inputValue(), 'shape:refused tcp.port == 80 fl', 'the filter after Escape');
    await page.locator('[data-testid="connection-filter"]').fill('');
    await page.locator('[data-testid="connection-sort"]').selectOption({ label: 'most packets' });
    // The worker sorts: wait for its answer, a row with the most packets first.
    const most = Math.max(...o.streams.map((s) => s.packets));
    const largest = o.streams.filter((s) => s.packets === most).map((s) => String(s.stream));
    await page.waitForFunction((ids) => ids.includes(document.querySelector('[data-testid="connection"]')?.dataset.stream), largest, { timeout: TIMEOUT })
      .catch(async () => { throw new Error(`first row after sorting by packets: stream ${await page.locator('[data-testid="connection"]').first().getAttribute('data-stream')}, expected one of ${largest.join(', ')}`); });
    // Both ways: smallest first.
    await page.locator('[data-testid="sort-direction"]').click();
    const least = Math.min(...o.streams.map((s) => s.packets));
    const smallest = o.streams.filter((s) => s.packets === least).map((s) => String(s.stream));
    await page.waitForFunction((ids) => ids.includes(document.querySelector('[data-testid="connection"]')?.dataset.stream), smallest, { timeout: TIMEOUT });
    await page.locator('[data-testid="sort-direction"]').click();
  });
  check('a 100 000-segment connection opens and scrolls with a few hundred arrows in the DOM', async (page, context) => {
    const file = path.join(root, 'tests/captures/real/bulk_100k.pcap.gz');
    const expected = JSON.parse(execFileSync(CLI, ['analyze', file], { maxBuffer: 1 << 30 }).toString()).streams[0];
    const started = Date.now();
    await load(page, base, file);
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: 120_000 });
    console.log(`     opened ${expected.packets} segments in ${Date.now() - started} ms (file chosen to first arrows)`);
    // Every segment drawn: the view keeps only those near the scroll position in the DOM.
    // Jump to a frame inside a collapsed run: the run opens, the segment is selected and shown.
    await page.locator('[data-testid="jump-frame"]').fill('50000');
    await page.locator('[data-testid="jump-frame"]').press('Enter');
    await page.locator('[data-testid="segment"].selected[data-frame="50000"]').waitFor({ timeout: TIMEOUT });
    // The lane names stay at the top of the scrolled diagram.
    const lanes = await page.locator('[data-testid="lane-headers"]').evaluate((el) => el.getBoundingClientRect().top - el.closest(".diagram-scroll").getBoundingClientRect().top);
    if (Math.abs(lanes) > 2) throw new Error(`lane headers are ${lanes} px from the top of the scrolled diagram`);
    await page.locator('[data-testid="toggle-expand"]').check();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="segment"][data-frames]').length === 0);
    const count = async () => page.locator('[data-testid="segment"]').count();
    const before = await count();
    if (before > 400) throw new Error(`${before} arrows in the DOM`);
    const firstDrawn = () => page.locator('[data-testid="segment"][data-frame]').evaluateAll((els) => Math.min(...els.map((e) => Number(e.getAttribute('data-frame')))));
    for (const fraction of [0.25, 0.5, 1]) {
      const was = await firstDrawn();
      await page.locator('.diagram-scroll').evaluate((el, f) => { el.scrollTop = el.scrollHeight * f; el.dispatchEvent(new Event('scroll')); }, fraction);
      // The view keeps the arrows near the scroll position: wait until it has drawn new ones.
      await page.waitForFunction((w) => {
        const frames = [...document.querySelectorAll('[data-testid="segment"][data-frame]')].map((e) => Number(e.getAttribute('data-frame')));
        return frames.length > 0 && Math.min(...frames) > w;
      }, was, { timeout: TIMEOUT });
      const n = await count();
      if (n > 400 || n === 0) throw new Error(`${n} arrows in the DOM at ${fraction * 100} %`);
    }
    await page.locator(`[data-testid="segment"][data-frame="${expected.last_frame}"]`).waitFor({ timeout: TIMEOUT });
    // A PNG of 113 892 rows cannot be legible: the page says so instead of saving an empty file.
    await page.locator('[data-testid="export-png"]').click();
    const said = await page.locator('[data-testid="export-message"]').textContent({ timeout: TIMEOUT });
    if (!/No PNG: .*units tall.*SVG.*rows on screen/.test(said)) throw new Error(`PNG of a tall diagram: ${said}`);
    // …and offers the PNG of the rows on screen (#24), which is a legible image of them.
    const [rowsPng] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-png-rows"]').click()]);
    const rowsPath = path.join(outDir, 'bulk_100k-rows-on-screen.png');
    await rowsPng.saveAs(rowsPath);
    const rowsBytes = fs.readFileSync(rowsPath);
    const [pngW, pngH] = [rowsBytes.readUInt32BE(16), rowsBytes.readUInt32BE(20)];
    const onScreen = await page.locator('.diagram-scroll').evaluate((el) => el.clientHeight);
    if (rowsBytes.subarray(1, 4).toString() !== 'PNG' || rowsBytes.length < 5000 || !(pngH > onScreen && pngH < 8 * onScreen) || !/-rows-\d+-\d+\.png$/.test(rowsPng.suggestedFilename()))
      throw new Error(`the PNG of the rows on screen: ${rowsPng.suggestedFilename()}, ${rowsBytes.length} bytes, ${pngW}×${pngH} px for a ${onScreen} px view`);
    console.log(`     PNG of the rows on screen: ${rowsPng.suggestedFilename()}, ${pngW}×${pngH} px, ${rowsBytes.length} bytes`);
    // The timing view of every segment is laid out a window at a time around the screen.
    await page.locator('[data-testid="view-timing"]').check();
    await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
    const frameAt = async () => page.locator('[data-testid="segment"][data-frame]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
    await page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight * 0.5; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction((n) => {
      const frames = [...document.querySelectorAll('[data-testid="segment"][data-frame]')].map((e) => Number(e.dataset.frame));
      return frames.length > 0 && Math.min(...frames) > n / 4;
    }, expected.packets, { timeout: 60_000 });
    const middle = await frameAt();
    if (middle.length > 1500) throw new Error(`${middle.length} arrows in the DOM in the timing view`);
    console.log(`     timing view at 50 %: frames ${Math.min(...middle)}–${Math.max(...middle)} drawn (${middle.length} arrows)`);
    await page.locator('[data-testid="view-timing"]').uncheck();
  });
  check('a big file: the progress bar counts up, the page answers clicks while it is read, and it completes', async (page, context) => {
    await page.goto(base);
    // The longest the page's thread is busy while the file is read (printed, not asserted).
    await page.evaluate(() => { window.__gap = 0; let last = performance.now(); setInterval(() => { const now = performance.now(); window.__gap = Math.max(window.__gap, now - last); last = now; }, 20); });
    const started = Date.now();
    await page.locator('[data-testid="file-input"]').setInputFiles(big);
    const progress = page.locator('[data-testid="progress"]');
    await progress.waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]')?.dataset.connections ?? 0) >= 2, null, { timeout: TIMEOUT });
    const bytesBefore = Number(await progress.getAttribute('data-bytes'));
    // A click while reading: the filter answers (the worker filters between slices).
    await page.locator('[data-testid="connection-filter"]').fill('no-such-connection');
    await page.waitForFunction(() => /^Connections \(0 of \d+, reading/.test(document.querySelector('nav.connections h2')?.textContent ?? ''), null, { timeout: TIMEOUT });
    if (!(await progress.isVisible())) throw new Error('the file was read before the click was answered: the test file is too small');
    const bytesAfter = Number(await progress.getAttribute('data-bytes'));
    if (!(bytesAfter >= bytesBefore && bytesBefore < bigSize)) throw new Error(`progress did not count up: ${bytesBefore} then ${bytesAfter} of ${bigSize}`);
    await page.locator('[data-testid="connection-filter"]').fill('');
    const summary = page.locator('[data-testid="capture-summary"]');
    await summary.waitFor({ timeout: 300_000 });
    console.log(`     ${bigSize} bytes read in ${Date.now() - started} ms; longest page-thread gap ${Math.round(await page.evaluate(() => window.__gap))} ms`);
    expectEqual(await summary.getAttribute('data-connections'), '20', 'connections in the big file');
    if (await progress.isVisible()) throw new Error('the progress bar stayed after reading ended');
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: TIMEOUT });
  });
  check('a capture larger than the worker may hold: reading stops at the limit with a message, and the page stays usable', async (page, context) => {
    // The page's memory limit, lowered for the test (?memory-limit-mb=N); the real one is 3 GiB.
    await page.goto(`${base}?memory-limit-mb=48`);
    await page.locator('[data-testid="file-input"]').setInputFiles(big);
    const summary = page.locator('[data-testid="capture-summary"]');
    await summary.waitFor({ timeout: 300_000 });
    const message = await page.locator('[data-testid="error"]').textContent();
    if (!/memory limit \(48 MiB\)/.test(message) || !/stopped at byte \d+ of \d+/.test(message)) throw new Error(`no memory-limit message: ${message}`);
    const connections = Number(await summary.getAttribute('data-connections'));
    if (!(connections >= 1 && connections < 20)) throw new Error(`${connections} connections kept of 20`);
    // Still usable: a connection is drawn and a segment explained.
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"][data-frame="1"]').click();
    await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
    console.log(`     ${message.trim().slice(0, 160)}`);
    await page.screenshot({ path: path.join(outDir, 'memory-limit.png') });
  });
  check('a worker that dies is replaced: the page says what happened and the next file opens', async (page, context) => {
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: TIMEOUT });
    // An uncaught error in the worker is what a crash or wasm32's out-of-memory looks like
    // from the page.
    const worker = page.workers().find((w) => /tcp-ladder-worker/.test(w.url()));
    if (!worker) throw new Error(`no analysis worker among ${page.workers().map((w) => w.url()).join(', ')}`);
    await worker.evaluate(() => { setTimeout(() => { throw new Error('simulated crash'); }, 0); });
    await page.waitForFunction(() => /analysis worker stopped.*a new one has started/.test(document.querySelector('[data-testid="error"]')?.textContent ?? ''), null, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector('.app')?.dataset.workerReady === 'true', null, { timeout: TIMEOUT });
    await page.locator('[data-testid="sample"][data-file="seed_close_delayed.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="11"]').waitFor({ timeout: TIMEOUT });
  });
  check('cancel stops reading and keeps what was read', async (page, context) => {
    await load(page, base, big);
    const progress = page.locator('[data-testid="progress"]');
    await progress.waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="progress"]')?.dataset.bytes ?? 0) > 0, null, { timeout: TIMEOUT });
    await page.locator('[data-testid="cancel"]').click();
    const notice = page.locator('[data-testid="notice"]');
    await notice.waitFor({ timeout: TIMEOUT });
    const text = await notice.textContent();
    if (!/stopped where you cancelled it, after [\d.]+ MB of [\d.]+ MB; the \d+ frames read are shown/.test(text)) throw new Error(`unexpected message: ${text}`);
    if (await page.locator('[data-testid="error"]').count()) throw new Error('a cancel is shown as an error');
    const packets = Number(await page.locator('[data-testid="capture-summary"]').getAttribute('data-packets'));
    if (!(packets > 0 && packets < 20 * 113_892)) throw new Error(`${packets} frames kept after cancel`);
    if (await progress.isVisible()) throw new Error('the progress bar stayed after cancel');
    await page.locator('[data-testid="connection"]').first().waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: path.join(outDir, 'cancelled.png') });
  });
  check('seed, server closes at once: three-segment close, states, explanation, exports', async (page, context) => {
    const titles = await checkSeed(page, base, 'seed_close_immediately.pcap', {
      frames: 10,
      close: 'three_segment:8-10',
      states: ['client:SYN-SENT@1', 'client:ESTABLISHED@2', 'client:CLOSE-WAIT@8', 'client:LAST-ACK@9', 'client:CLOSED@10',
        'server:LISTEN@1', 'server:SYN-RECEIVED@2', 'server:ESTABLISHED@3', 'server:FIN-WAIT-1@8', 'server:TIME-WAIT@9'],
      explainFrame: 9,
      explainText: 'three segments instead of four',
      shot: 'seed-three-segment-close.png',
    });
    if (!titles.includes('Three-segment close (ACK+FIN merged)')) throw new Error(`phase titles: ${titles.join(', ')}`);
  });
  check('seed, server closes later: four-way close, states, explanation, exports', async (page, context) => {
    const titles = await checkSeed(page, base, 'seed_close_delayed.pcap', {
      frames: 11,
      close: 'four_way:8-11',
      states: ['client:FIN-WAIT-1@8', 'client:FIN-WAIT-2@9', 'client:TIME-WAIT@10', 'server:CLOSE-WAIT@8', 'server:LAST-ACK@10', 'server:CLOSED@11'],
      explainFrame: 8,
      explainText: 'nothing more to send',
      shot: 'seed-four-way-close.png',
    });
    if (!titles.includes('Four-way close')) throw new Error(`phase titles: ${titles.join(', ')}`);
  });
  check('timing view: the capture point between the endpoints, crossing FINs, screenshots at laptop and phone size', async (page, context) => {
    const file = 'crossing_fins_delayed_path.pcap';
    const expected = JSON.parse(execFileSync(CLI, ['analyze', path.join(root, 'static/samples', file)]).toString()).streams[0];
    await page.goto(base);
    await page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: TIMEOUT });
    if (await page.locator('[data-testid="capture-point"]').count()) throw new Error('the evenly spaced view is the default');
    await page.locator('[data-testid="view-timing"]').check();
    const point = page.locator('[data-testid="capture-point"]');
    await point.waitFor({ timeout: TIMEOUT });
    expectEqual(await point.getAttribute('data-near'), expected.capture_point.near, 'capture point');
    const label = await point.textContent();
    if (!label.includes(`${expected.capture_point.client_ms.toFixed(1)} ms`)) throw new Error(`capture point label ${label} lacks ${expected.capture_point.client_ms}`);
    // Slanted arrows: each leaves its sender before it reaches the receiver, and the two FINs cross.
    const fins = await page.locator('[data-testid="segment"].seg-fin line').evaluateAll((els) => els.map((l) => [Number(l.getAttribute('y1')), Number(l.getAttribute('y2'))]));
    if (fins.length !== 2 || !fins.every(([a, b]) => b - a > 20)) throw new Error(`FIN arrows not slanted: ${JSON.stringify(fins)}`);
    if (!(fins[1][0] < fins[0][1] && fins[0][0] < fins[1][1])) throw new Error(`the FINs do not cross: ${JSON.stringify(fins)}`);
    const states = await page.locator('[data-testid="state"]').evaluateAll((els) => els.map((e) => `${e.dataset.side}:${e.dataset.state}`));
    for (const s of ['client:CLOSING', 'server:CLOSING', 'client:TIME-WAIT', 'server:TIME-WAIT']) if (!states.includes(s)) throw new Error(`${s} missing: ${states.join(' ')}`);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.screenshot({ path: path.join(outDir, 'timing-view-1366x768.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(outDir, 'timing-view-390x844.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="view-timing"]').uncheck();
  });
  check('application messages: a TLS handshake and an HTTP request labelled on their arrows, and the toggle that hides them', async (page) => {
    const app = path.join(root, 'tests/captures/app');
    const arrowText = (frame) => page.locator(`[data-testid="segment"][data-frame="${frame}"]`).first().textContent();
    await load(page, base, path.join(app, 'tls13.pcap'));
    await page.locator('[data-testid="connection"][data-stream="0"]').click();
    await page.locator('[data-testid="segment"][data-frame="4"]').waitFor({ timeout: TIMEOUT });
    // The words come from `tcp-ladder messages` (tests/messages_vs_tshark.rs checks them against tshark).
    const hello = await arrowText(4);
    if (!hello.includes('TLS ClientHello · PSH,ACK')) throw new Error(`frame 4: no ClientHello label: ${hello}`);
    const serverHello = await arrowText(6);
    if (!serverHello.includes('TLS ServerHello, ChangeCipherSpec, encrypted handshake (inferred) ×4')) throw new Error(`frame 6: ${serverHello}`);
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.locator('[data-testid="segment"][data-frame="4"]').waitFor({ timeout: TIMEOUT });
      await page.screenshot({ path: path.join(outDir, `app-messages-tls13-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await load(page, base, path.join(app, 'http11_keepalive.pcap'));
    await page.locator('[data-testid="connection"][data-stream="0"]').click();
    await page.locator('[data-testid="segment"][data-frame="4"]').waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelector('[data-testid="segment"][data-frame="4"]')?.textContent.includes('GET /page · PSH,ACK'), null, { timeout: TIMEOUT });
    // A segment's explanation says what it carries of which message (frames 6–12 hold the response).
    await page.locator('[data-testid="segment"][data-frame="12"]').click();
    const carries = page.locator('[data-testid="segment-message"]');
    await carries.waitFor({ timeout: TIMEOUT });
    const sentence = await carries.textContent();
    if (!sentence.includes("the end of the server's HTTP/1.1 200 OK, 4096-byte body, begun in frame 6")) throw new Error(`frame 12's message sentence: ${sentence}`);
    // Its bracket beside the server's lifeline, from frame 6 to 12, titled with the words
    // and the size `tcp-ladder messages` gives (end − start in the stream).
    const first = JSON.parse(execFileSync(CLI, ['messages', path.join(app, 'http11_keepalive.pcap'), '--stream', '0', '--format', 'json']).toString())[0].messages.find((m) => m.first_frame === 6);
    const bracket = page.locator('[data-testid="msg-bracket"][data-frames="6-12"]');
    await bracket.waitFor({ state: 'attached', timeout: TIMEOUT });
    const bracketTitle = await bracket.locator('title').textContent();
    if (!bracketTitle.startsWith(`200 OK: ${first.end - first.start} bytes of the server's stream`) || first.last_frame !== 12) throw new Error(`the 200 OK's bracket: ${bracketTitle}`);
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.locator('[data-testid="msg-bracket"][data-frames="6-12"]').waitFor({ state: 'attached', timeout: TIMEOUT });
      await page.screenshot({ path: path.join(outDir, `app-message-bracket-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // Phases named by the application: each exchange from its request's first frame to its
    // answer's last, as `tcp-ladder messages` places them (pipelined ones included).
    const keepalive = path.join(app, 'http11_keepalive.pcap');
    const msgs = JSON.parse(execFileSync(CLI, ['messages', keepalive, '--stream', '0', '--format', 'json']).toString())[0].messages;
    const inOrder = (pick) => msgs.filter(pick).sort((a, b) => a.start - b.start);
    const asked = inOrder((m) => m.what.kind === 'http_request');
    const answered = inOrder((m) => m.what.kind === 'http_response' && !(m.what.status >= 100 && m.what.status < 200));
    const wantPhases = asked.map((q, k) => `request ${k + 1}: ${q.what.method} ${q.what.target} → ${answered[k].what.status} (frames ${q.first_frame}–${answered[k].last_frame})`);
    // (On a phone's compact columns the panel lists every phase, with no segment selected.)
    await page.locator('.diagram-pane').press('Escape');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="phase-caption"]').first().waitFor({ timeout: TIMEOUT });
    const gotPhases = await page.locator('[data-testid="phase-caption"]').evaluateAll((els) => els.map((e) => e.querySelector('strong').textContent + e.childNodes[1].textContent)
      .filter((t) => t.startsWith('request ')).map((t) => t.replace(/^(request \d+: \S+ \S+ → \d+)[^(]*(\(frames .*\))$/, '$1 $2')));
    expectEqual(JSON.stringify(gotPhases), JSON.stringify(wantPhases), 'the HTTP exchanges bracketed as phases');
    await page.setViewportSize({ width: 1280, height: 800 });
    // Hide application data: messages by type and size only (as `render --hide-app-data`
    // says them), the list's protocol alone, no payload byte in the hex or in Follow.
    const typed = execFileSync(CLI, ['render', keepalive, '--stream', '0', '--hide-app-data', '--format', 'mermaid']).toString();
    const typedWords = typed.match(/C->>S: (HTTP request, \d+ B) · PSH,ACK seq=1 /)?.[1];
    if (!typedWords) throw new Error(`render --hide-app-data: no typed words for frame 4 in ${typed.slice(0, 400)}`);
    await page.locator('[data-testid="hide-app-data"]').check();
    await page.waitForFunction((w) => document.querySelector('[data-testid="segment"][data-frame="4"]')?.textContent.includes(`${w} · PSH,ACK`), typedWords, { timeout: TIMEOUT });
    const typedArrows = (await page.locator('[data-testid="segment"]').allTextContents()).join(' ');
    for (const secret of ['/page', '/missing', '/submit', '404', 'Not Found', 'app.test']) if (typedArrows.includes(secret)) throw new Error(`"${secret}" on an arrow with the application's data hidden`);
    expectEqual(await page.locator('[data-testid="connection-what"]').first().textContent(), 'HTTP', "the list's what with the application's data hidden");
    await page.locator('[data-testid="segment"][data-frame="4"]').click();
    await page.locator('[data-testid="packet-detail"]').waitFor({ timeout: TIMEOUT });
    const hex = await page.locator('[data-testid="packet-detail"]').textContent();
    if (/GET \/page|app\.test/.test(hex)) throw new Error("the request's bytes in the hex with the application's data hidden");
    if (await page.locator('[data-testid="segment-message"]').count()) throw new Error("the segment's message sentence with the application's data hidden");
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="follow-chunk"]').first().waitFor({ timeout: TIMEOUT });
    const followText = await page.locator('[data-testid="follow"]').textContent();
    if (/GET \/page|app\.test|Content-Length/.test(followText)) throw new Error(`Follow shows the bytes with the application's data hidden: ${followText.slice(0, 200)}`);
    if (!followText.includes('[91 bytes hidden]') || !followText.includes(`▸ ${typedWords}`)) throw new Error(`Follow with the application's data hidden: ${followText.slice(0, 300)}`);
    // Nor searched or saved: a search would tell which chunk holds a word.
    for (const id of ['follow-search', 'follow-download-client', 'follow-download-server']) {
      if (!(await page.locator(`[data-testid="${id}"]`).isDisabled())) throw new Error(`${id} works with the application's data hidden`);
    }
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(outDir, `app-data-hidden-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="hide-app-data"]').uncheck();
    await page.waitForFunction(() => document.querySelector('[data-testid="segment"][data-frame="4"]')?.textContent.includes('GET /page'), null, { timeout: TIMEOUT });
    await page.locator('[data-testid="hide-messages"]').check();
    await page.waitForFunction(() => !document.querySelector('[data-testid="segment"][data-frame="4"]')?.textContent.includes('GET /page'), null, { timeout: TIMEOUT });
    const plain = await arrowText(4);
    if (!plain.includes('PSH,ACK seq=1')) throw new Error(`frame 4 without its message: ${plain}`);
  });
  check('the list says what each connection speaks: the "what" column as analyze says it, app:/host:/http: filters, the sort by it, hidden names', async (page) => {
    const file = path.join(corpus, 'ndpi_1kxun.pcap');
    // The words come from analyze's `opening` (the same computed facts as the page's column).
    const streams = JSON.parse(execFileSync(CLI, ['analyze', file]).toString()).streams;
    const words = (s) => s.opening?.words ?? 'no payload';
    await load(page, base, file);
    await page.locator('[data-testid="connection"]').first().waitFor({ timeout: TIMEOUT });
    const shown = async () => page.locator('[data-testid="connection"]').evaluateAll((rows) => rows.map((r) => [Number(r.dataset.stream), r.querySelector('[data-testid="connection-what"]').textContent]));
    const settle = async () => {
      await page.waitForTimeout(300);
      await page.waitForFunction(() => !/filtering|reading/.test(document.querySelector('nav.connections h2')?.textContent ?? 'filtering'), null, { timeout: TIMEOUT });
    };
    const expectRows = async (query, pick, what) => {
      await page.locator('[data-testid="connection-filter"]').fill(query);
      await settle();
      const want = streams.filter(pick).map((s) => [s.stream, words(s)]);
      if (!want.length) throw new Error(`${what}: the capture has none, the check could not fail`);
      const got = await shown();
      expectEqual(JSON.stringify(got), JSON.stringify(want), `rows for "${query}" (${what})`);
    };
    await expectRows('app:tls', (s) => s.opening?.protocol === 'tls', 'TLS connections');
    await expectRows('host:pic.1kxun.com', (s) => s.opening?.name === 'pic.1kxun.com', 'connections that asked for pic.1kxun.com');
    await expectRows('http:200 app:http', (s) => s.opening?.protocol === 'http' && s.opening?.status === 200, 'HTTP connections whose first answer was 200');
    await expectRows('app:none', (s) => s.opening == null, 'connections with no payload');
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.locator('[data-testid="connection-filter"]').fill('app:tls');
      await settle();
      await page.screenshot({ path: path.join(outDir, `list-what-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // Sorted by what it speaks: A to Z, connections with no payload last.
    await page.locator('[data-testid="connection-filter"]').fill('');
    await page.locator('[data-testid="connection-sort"]').selectOption({ label: 'what it speaks, A–Z' });
    await settle();
    await page.waitForFunction(() => document.querySelector('[data-testid="connection"] [data-testid="connection-what"]')?.textContent.startsWith('HTTP'), null, { timeout: TIMEOUT });
    const sorted = (await shown()).map(([, w]) => w);
    const lower = sorted.map((w) => (w === 'no payload' ? '\uffff' : w.toLowerCase()));
    for (let i = 1; i < lower.length; i++) if (lower[i - 1] > lower[i]) throw new Error(`not A to Z at row ${i}: "${sorted[i - 1]}" before "${sorted[i]}"`);
    // Hidden addresses hide the names and targets the column shows.
    await page.locator('[data-testid="hide-addresses"]').check();
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="connection-what"]')].some((w) => /1kxun|\//.test(w.textContent)), null, { timeout: TIMEOUT })
      .catch(async () => { throw new Error(`a name or target with hidden addresses: ${(await shown()).map(([, w]) => w).filter((w) => /1kxun|\//.test(w)).slice(0, 3).join(' | ')}`); });
    for (const v of await axeViolations(page)) throw new Error(`the list with its what column: ${v}`);
  });
  check('step mode: the seed exchange one segment at a time, with both state machines', async (page, context) => {
    const file = 'seed_close_immediately.pcap';
    const states = JSON.parse(execFileSync(CLI, ['analyze', path.join(root, 'static/samples', file)]).toString()).streams[0].states;
    // The state each side is in after each frame, from analyze's states.
    const at = (side, frame) => states[side].filter((c) => c.frame <= frame).map((c) => c.state).pop() ?? 'unknown';
    await page.goto(base);
    await page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
    await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="step-mode"]').click();
    // Entering the lesson moves the focus into it; ← / → work from there at once.
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '1', null, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.activeElement?.closest('[data-testid="lesson"]') != null, null, { timeout: TIMEOUT });
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '2', null, { timeout: TIMEOUT });
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '1', null, { timeout: TIMEOUT });
    // The RFC 9293 words of the edge each side took at each step, from analyze's states.
    const rfcWords = {
      'CLOSED>LISTEN': 'passive OPEN / create TCB', 'CLOSED>SYN-SENT': 'active OPEN / create TCB, snd SYN', 'LISTEN>SYN-RECEIVED': 'rcv SYN / snd SYN,ACK',
      'SYN-SENT>ESTABLISHED': 'rcv SYN,ACK / snd ACK', 'SYN-RECEIVED>ESTABLISHED': 'rcv ACK of SYN / x', 'ESTABLISHED>FIN-WAIT-1': 'CLOSE / snd FIN',
      'ESTABLISHED>CLOSE-WAIT': 'rcv FIN / snd ACK', 'FIN-WAIT-1>FIN-WAIT-2': 'rcv ACK of FIN / x', 'FIN-WAIT-1>CLOSING': 'rcv FIN / snd ACK',
      'FIN-WAIT-2>TIME-WAIT': 'rcv FIN / snd ACK', 'CLOSING>TIME-WAIT': 'rcv ACK of FIN / x', 'CLOSE-WAIT>LAST-ACK': 'CLOSE / snd FIN',
      'LAST-ACK>CLOSED': 'rcv ACK of FIN / x', 'FIN-WAIT-1>TIME-WAIT': 'rcv FIN, ACK of FIN / snd ACK (note 2)',
    };
    for (let frame = 1; frame <= 10; frame++) {
      if (frame > 1) {
        // Buttons for most steps; the keyboard for some: with the focus on the diagram, on a
        // lesson button, on a drawn figure.
        if (frame === 5) await page.locator('.diagram-pane').press('ArrowRight');
        else if (frame === 6) { await page.locator('[data-testid="step-prev"]').focus(); await page.keyboard.press('ArrowRight'); }
        else if (frame === 7) { await page.locator('.sm-drawing[data-side="server"]').focus(); await page.keyboard.press('ArrowRight'); }
        else await page.locator('[data-testid="step-next"]').click();
      }
      await page.waitForFunction((f) => document.querySelector('[data-testid="lesson"]')?.dataset.frame === String(f), frame, { timeout: TIMEOUT });
      for (const side of ['client', 'server']) {
        const current = await page.locator(`[data-testid="state-machine"][data-side="${side}"]`).getAttribute('data-current');
        expectEqual(current, at(side, frame), `${side} state after frame ${frame}`);
        // The drawn figure: the current state's box filled, the edge just taken (if any) marked
        // with the RFC's words for that move; 20 labelled edges, one more for a move off the figure.
        const fig = await page.locator(`.sm-drawing[data-side="${side}"]`).evaluate((d) => ({
          current: [...d.querySelectorAll('.sm-state.current text')].map((t) => t.textContent),
          taken: [...d.querySelectorAll('.edge-label.taken')].map((g) => g.dataset.label),
          labels: d.querySelectorAll('.edge-label').length,
        }));
        expectEqual(fig.current.join(), at(side, frame), `${side} figure's current box after frame ${frame}`);
        const before = at(side, frame - 1) === 'unknown' ? 'CLOSED' : at(side, frame - 1);
        const moved = states[side].some((c) => c.frame === frame);
        const words = rfcWords[`${before}>${at(side, frame)}`];
        if (moved && words) expectEqual(fig.taken.join(), words, `${side} edge taken at frame ${frame}`);
        if (!moved) expectEqual(fig.taken.length, 0, `${side} edges marked taken at frame ${frame} (it did not move)`);
        if (fig.labels !== 20 + (moved && (!words || words.includes('note 2')) ? 1 : 0)) throw new Error(`${side} figure at frame ${frame}: ${fig.labels} edge labels`);
      }
      // The diagram shows the connection up to this segment only.
      const drawn = await page.locator('[data-testid="segment"][data-frame]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
      expectEqual(Math.max(...drawn), frame, `last arrow drawn at step ${frame}`);
      if (frame === 8) {
        const test = await page.locator('[data-testid="acceptability"]').textContent();
        if (!/Case 4/.test(test) || !/acceptable/.test(test)) throw new Error(`acceptability of the server's FIN: ${test}`);
        for (const [width, height] of [[1366, 768], [390, 844]]) {
          await page.setViewportSize({ width, height });
          // Both figures' text at 11 CSS px or more, and no label over another label or a
          // state's box (as the browser lays them out).
          const figs = await page.locator('.sm-drawing svg').evaluateAll((svgs) => svgs.map((svg) => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const smallest = Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
            const rect = (el) => { const r = el.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
            const labels = [...svg.querySelectorAll('.edge-label')].map((g) => [g.dataset.label, rect(g)]);
            const boxes = [...svg.querySelectorAll('.sm-state rect')].map((r) => [r.nextElementSibling.textContent, rect(r)]);
            const hit = (a, b) => a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5;
            const overlaps = [];
            labels.forEach(([n, a], i) => {
              for (const [m, b] of labels.slice(i + 1)) if (hit(a, b)) overlaps.push(`${n} × ${m}`);
              for (const [m, b] of boxes) if (hit(a, b)) overlaps.push(`${n} × box ${m}`);
            });
            return { smallest, overlaps };
          }));
          if (figs.length !== 2) throw new Error(`${width}×${height} step mode: ${figs.length} state figures drawn`);
          for (const f of figs) {
            if (!(f.smallest >= 11)) throw new Error(`${width}×${height} step mode: figure text at ${f.smallest.toFixed(1)} px`);
            if (f.overlaps.length) throw new Error(`${width}×${height} step mode: overlapping labels: ${f.overlaps.join('; ')}`);
          }
          if (width === 1366) {
            // The ladder so far takes its compact columns beside the figures (#24: it was a
            // ~140 px strip of capture times with no arrow in it).
            await page.waitForFunction(() => document.querySelector('svg.ladder')?.viewBox.baseVal.width === 348, null, { timeout: TIMEOUT });
            // The step's words and both figures in view together, neither scrolled out of
            // the window nor out of its own scrolling box; the ladder beside them drawn whole
            // across, with the step's arrow (frame 8) in view, its text at 11 px or more.
            const fit = await page.evaluate(() => {
              const box = (el) => el && (({ top, bottom, left, right, width, height }) => ({ top, bottom, left, right, width, height }))(el.getBoundingClientRect());
              const within = (el, sel) => box(el.closest(sel));
              const text = document.querySelector('[data-testid="step-explanation"]');
              const scroller = document.querySelector('.diagram-scroll');
              const svg = document.querySelector('svg.ladder');
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return {
                parts: [['the step text', box(text), within(text, '.lesson-words')], ...[...document.querySelectorAll('.sm-drawing')].map((d) => [`the ${d.dataset.side}'s figure`, box(d), within(d, '.lesson-figures')])],
                ladder: box(scroller),
                sideways: scroller.scrollWidth - scroller.clientWidth,
                arrow: box(document.querySelector('[data-testid="segment"][data-frame="8"] g.arrow line')),
                smallest: Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale)),
                height: innerHeight,
                width: innerWidth,
              };
            });
            for (const [what, b, room] of fit.parts) {
              if (!b || !room || b.top < Math.max(0, room.top) - 1 || b.bottom > Math.min(fit.height, room.bottom) + 1 || b.left < 0 || b.right > fit.width)
                throw new Error(`1366×768 step mode: ${what} is not in view with the rest: ${JSON.stringify(fit)}`);
            }
            const { ladder, arrow } = fit;
            if (!(ladder.width >= 340 && ladder.height >= 180) || fit.sideways > 1) throw new Error(`1366×768 step mode: the ladder is ${ladder.width.toFixed(0)}×${ladder.height.toFixed(0)} px, ${fit.sideways} px to scroll sideways`);
            if (!arrow || arrow.top < ladder.top || arrow.bottom > ladder.bottom || arrow.left < ladder.left || arrow.right > ladder.right + 1) throw new Error(`1366×768 step mode: the step's arrow is not in the ladder's view: ${JSON.stringify(fit)}`);
            if (!(fit.smallest >= 11)) throw new Error(`1366×768 step mode: ladder text at ${fit.smallest.toFixed(1)} px`);
            console.log(`     1366×768 step mode: ladder ${ladder.width.toFixed(0)}×${ladder.height.toFixed(0)} px (text ≥ ${fit.smallest.toFixed(1)} px), the step's arrow at ${arrow.top.toFixed(0)} px, figures and words in view`);
            await page.screenshot({ path: path.join(outDir, 'step-mode-1366x768.png') });
          } else {
            // A figure wider than the phone scrolls itself to the edge just taken: its label is
            // inside the drawing's visible width (CLOSE-WAIT's edge was off the right-hand side).
            const hidden = await page.locator('.sm-drawing').evaluateAll((ds) => ds.flatMap((d) => {
              const label = d.querySelector('.edge-label.taken');
              if (!label) return [];
              const [l, v] = [label.getBoundingClientRect(), d.getBoundingClientRect()];
              return l.left >= v.left - 1 && l.right <= v.right + 1 ? [] : [`${d.dataset.side}: label ${l.left.toFixed(0)}–${l.right.toFixed(0)}, visible ${v.left.toFixed(0)}–${v.right.toFixed(0)}`];
            }));
            if (hidden.length) throw new Error(`390×844 step mode: the edge just taken is scrolled out of its figure: ${hidden.join('; ')}`);
            // …and no figure has to scroll: the phone's layout, 348 px wide (#24: the RFC's
            // 444 px scrolled sideways in the 348 px pane).
            const sideways = await page.locator('.sm-drawing').evaluateAll((ds) => ds.map((d) => ({ side: d.dataset.side, over: d.scrollWidth - d.clientWidth, width: d.querySelector('svg').getBoundingClientRect().width })));
            if (sideways.some((f) => f.over > 1)) throw new Error(`390×844 step mode: a state figure scrolls sideways: ${JSON.stringify(sideways)}`);
            console.log(`     390×844 step mode: both figures ${sideways.map((f) => f.width.toFixed(0)).join(' and ')} px wide, none scrolls sideways`);
            // Stacked on a phone: the lesson's buttons on the first screen; the step's words,
            // then the client's figure, then the server's, then the variables (they came
            // between the words and the figures, ~650 px of them).
            const stack = await page.evaluate(() => {
              scrollTo(0, 0);
              const r = (sel) => { const b = document.querySelector(sel).getBoundingClientRect(); return { top: Math.round(b.top), bottom: Math.round(b.bottom) }; };
              return { next: r('[data-testid="step-next"]'), text: r('[data-testid="step-explanation"]'), client: r('.sm-drawing[data-side="client"]'),
                server: r('.sm-drawing[data-side="server"]'), vars: r('[data-testid="state-machine"]'), height: innerHeight };
            });
            const order = [['the step text', stack.text], ["the client's figure", stack.client], ["the server's figure", stack.server], ['the variables', stack.vars]];
            for (let k = 1; k < order.length; k++) {
              if (order[k][1].top < order[k - 1][1].bottom - 1) throw new Error(`390×844 step mode: ${order[k][0]} is not below ${order[k - 1][0]}: ${JSON.stringify(stack)}`);
            }
            if (stack.next.bottom > stack.height) throw new Error(`390×844 step mode: the lesson's buttons are below the first screen: ${JSON.stringify(stack)}`);
            if (stack.client.top - stack.text.bottom > 260) throw new Error(`390×844 step mode: ${stack.client.top - stack.text.bottom} px between the step's words and the first figure`);
            console.log(`     390×844 step mode: buttons at ${stack.next.top} px, words end ${stack.text.bottom}, figures ${stack.client.top}–${stack.server.bottom}, variables from ${stack.vars.top}`);
            // ← / → on a phone's keyboard too, from a figure.
            await page.locator('.sm-drawing[data-side="client"]').focus();
            await page.keyboard.press('ArrowRight');
            await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '9', null, { timeout: TIMEOUT });
            await page.keyboard.press('ArrowLeft');
            await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '8', null, { timeout: TIMEOUT });
            await page.locator('.sm-drawing[data-side="client"]').scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(outDir, 'step-mode-390x844.png') });
          }
        }
        // 1920×1080: room for the full columns beside the figures, drawn whole across.
        await page.setViewportSize({ width: 1920, height: 1080 });
        await page.waitForFunction(() => document.querySelector('svg.ladder')?.viewBox.baseVal.width === 930, null, { timeout: TIMEOUT });
        const wide = await page.locator('.diagram-scroll').evaluate((el) => ({ sideways: el.scrollWidth - el.clientWidth, width: el.clientWidth }));
        if (wide.sideways > 1) throw new Error(`1920×1080 step mode: the ladder scrolls sideways: ${JSON.stringify(wide)}`);
        await page.screenshot({ path: path.join(outDir, 'step-mode-1920x1080.png') });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }
    if (!(await page.locator('[data-testid="step-next"]').isDisabled())) throw new Error('next is enabled at the last segment');
    // A swipe to the right on a touch screen goes back one segment.
    await page.locator('[data-testid="lesson"]').evaluate((el) => {
      const touch = (x) => new Touch({ identifier: 1, target: el, clientX: x, clientY: 100 });
      el.dispatchEvent(new TouchEvent('touchstart', { changedTouches: [touch(100)], bubbles: true }));
      el.dispatchEvent(new TouchEvent('touchend', { changedTouches: [touch(260)], bubbles: true }));
    });
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '9', null, { timeout: TIMEOUT });
    await page.locator('[data-testid="step-next"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '10', null, { timeout: TIMEOUT });
    await page.locator('[data-testid="step-prev"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lesson"]')?.dataset.frame === '9', null, { timeout: TIMEOUT });
    const text = await page.locator('[data-testid="step-explanation"]').textContent();
    if (!text.includes('three segments instead of four')) throw new Error(`step 9 explanation: ${text}`);
    // Escape leaves the lesson, from a lesson control.
    await page.locator('[data-testid="step-prev"]').focus();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="lesson"]').waitFor({ state: 'detached', timeout: TIMEOUT });
    if ((await page.locator('[data-testid="step-mode"]').getAttribute('aria-pressed')) !== 'false') throw new Error('Escape did not leave step mode');
  });
  check('accessibility: 0 axe-core violations at 1366×768 and 390×844, with a segment selected, in the timing view and in step mode', async (page, context) => {
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="9"]').click();
    await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
    // On the first screen at laptop size: the app bar, the first arrows and the segment's detail.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('[data-testid="app-bar"]').waitFor({ timeout: TIMEOUT });
    const inView = async (selector) => page.locator(selector).first().evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; });
    for (const sel of ['[data-testid="segment"][data-frame="1"]', '[data-testid="explanation"]']) {
      if (!(await inView(sel))) throw new Error(`${sel} is not on the first screen at 1366×768`);
    }
    await page.screenshot({ path: path.join(outDir, 'workspace-1366x768.png') });
    // At "fit" every text of the diagram is drawn at 11 CSS px or more, on a laptop and a phone;
    // on the phone the compact columns (348 units) are drawn whole: both lifelines on screen,
    // no sideways scrolling, a long label on two lines (#24).
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      const columns = width < 640 ? 348 : 930;
      await page.waitForFunction((w) => document.querySelector('svg.ladder')?.viewBox.baseVal.width === w, columns, { timeout: TIMEOUT });
      if (width < 640) {
        const fits = await page.locator('.diagram-scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        if (fits.scroll > fits.client + 1) throw new Error(`at 390 px the diagram scrolls sideways: ${fits.scroll} px in ${fits.client}`);
        const lanes = await page.locator('svg.ladder line.lifeline, svg.ladder .lifeline line').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().left));
        if (lanes.length < 2 || lanes.some((x) => x < 0 || x > 390)) throw new Error(`lifelines at ${JSON.stringify(lanes)} px`);
        const twoLines = await page.locator('[data-testid="segment"][data-frame="4"] .label').count();
        expectEqual(twoLines, 2, 'lines of the label of frame 4 (PSH,ACK … len=128) at 390 px');
        await page.screenshot({ path: path.join(outDir, 'workspace-390x844-compact.png'), fullPage: false });
      }
      const smallest = await page.locator('svg.ladder').evaluate((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        let min = Infinity;
        for (const t of svg.querySelectorAll('text')) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
        return min;
      });
      if (!(smallest >= 11)) throw new Error(`at ${width}×${height} the smallest diagram text is ${smallest.toFixed(1)} px`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForFunction(() => document.querySelector('svg.ladder')?.viewBox.baseVal.width === 930, null, { timeout: TIMEOUT });
    // Each arrow is a button whose name says what a sighted reader sees on it, with the same
    // numbers as its label; one tab stop for all; ↑/↓ move the focus with the selection.
    const arrowNames = await page.locator('[data-testid="segment"][data-frame]').evaluateAll((gs) => gs.map((g) => { const b = g.querySelector('g.arrow'); return [b.getAttribute('aria-label'), g.querySelector('.label')?.textContent, b.getAttribute('tabindex'), b.getAttribute('role')]; }));
    for (const [name, label, , role] of arrowNames) {
      const m = /^frame \d+, (client to server|server to client), ([A-Z ]+|no flags), seq (\d+)(?:, ack (\d+))?, window (\d+), (no data|1 byte of data|(\d+) bytes of data)/.exec(name || '');
      const l = /seq=(\d+)(?: ack=(\d+))? win=(\d+) len=(\d+)/.exec(label || '');
      if (role !== 'button' || !m || !l) throw new Error(`arrow name ${JSON.stringify(name)} for label ${JSON.stringify(label)}`);
      const len = m[6] === 'no data' ? '0' : m[6] === '1 byte of data' ? '1' : m[7];
      if (m[3] !== l[1] || (m[4] ?? '') !== (l[2] ?? '') || m[5] !== l[3] || len !== l[4]) throw new Error(`arrow name ${name} disagrees with its label ${label}`);
    }
    expectEqual(arrowNames.filter(([, , t]) => t === '0').length, 1, 'arrows with a tab stop');
    await page.locator('[data-testid="segment"][data-frame="9"] g.arrow').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.startsWith('frame 10,'), null, { timeout: TIMEOUT });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label')?.startsWith('frame 8,'), null, { timeout: TIMEOUT });
    await page.locator('[data-testid="segment"][data-frame="9"]').click();
    // Zoom: 100 % draws the diagram at its own size (12 px text); Ctrl + wheel zooms the diagram.
    const svgWidth = async () => page.locator('svg.ladder').evaluate((el) => el.getBoundingClientRect().width);
    await page.locator('.zoom-bar button', { hasText: '100 %' }).click();
    const full = await svgWidth();
    const own = await page.locator('svg.ladder').evaluate((el) => el.viewBox.baseVal.width);
    if (Math.abs(full - own) > 1) throw new Error(`100 % zoom draws the diagram ${full} px wide, not ${own}`);
    await page.locator('.diagram-scroll').hover();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await page.waitForFunction((w) => document.querySelector('svg.ladder').getBoundingClientRect().width > w + 100, full);
    await page.locator('.zoom-bar button', { hasText: 'fit' }).click();
    // "fit" in a pane narrower than the diagram folds the list away to make room; its button brings it back.
    await page.waitForFunction(() => document.querySelector('[data-testid="list-toggle"]')?.getAttribute('aria-expanded') === 'false', null, { timeout: TIMEOUT });
    await page.locator('[data-testid="list-toggle"]').click();
    // Pressed again, "fit" lets the bars above the diagram back.
    await page.locator('[data-testid="zoom-fit"]').click();
    await page.locator('.diagram-view:not(.fit-whole)').waitFor({ timeout: TIMEOUT });
    // The splitter resizes the segment panel (drag, or ← / → on it).
    const panelWidth = async () => page.locator('.segment-panel').evaluate((el) => el.getBoundingClientRect().width);
    const panelBefore = await panelWidth();
    await page.locator('[data-testid="splitter"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const panelAfter = await panelWidth();
    if (!(panelAfter > panelBefore + 60)) throw new Error(`the splitter moved the panel from ${panelBefore} to ${panelAfter} px`);
    const bar = await page.locator('[data-testid="splitter"]').boundingBox();
    await page.mouse.move(bar.x + 4, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(bar.x + 124, bar.y + bar.height / 2, { steps: 4 });
    await page.mouse.up();
    const dragged = await panelWidth();
    if (!(dragged < panelAfter - 80)) throw new Error(`dragging the splitter right: panel ${panelAfter} → ${dragged} px`);
    // The list folds away and the diagram takes the width.
    const paneWidth = async () => page.locator('.diagram-pane').evaluate((el) => el.getBoundingClientRect().width);
    const withList = await paneWidth();
    await page.locator('[data-testid="list-toggle"]').click();
    const without = await paneWidth();
    if (!(without > withList + 200)) throw new Error(`hiding the list: the diagram pane went from ${withList} to ${without} px`);
    await page.locator('[data-testid="list-toggle"]').click();
    // Enter on a button inside the diagram pane presses the button (it opens no run).
    const before = await page.locator('[data-testid="segment"].selected').getAttribute('data-frame');
    await page.locator('[data-testid="export-mermaid"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="export-text"]').waitFor({ timeout: TIMEOUT });
    expectEqual(await page.locator('[data-testid="segment"].selected').getAttribute('data-frame'), before, 'selection after Enter on an export button');
    // Tab reaches the connection list, and ↑/↓ there choose a connection.
    await page.locator('[data-testid="connection-sort"]').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('role'));
    expectEqual(focused, 'listbox', 'Tab after the sort controls');
    const problems = [];
    for (const [what, prepare] of [
      ['a segment selected', async () => {}],
      ['timing view and step mode', async () => {
        await page.locator('[data-testid="view-timing"]').check();
        await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
        await page.locator('[data-testid="step-mode"]').click();
        await page.locator('[data-testid="state-machine"]').first().waitFor({ timeout: TIMEOUT });
      }],
    ]) {
      // (On a phone the view's controls are folded behind a menu: prepare on a laptop.)
      await page.setViewportSize({ width: 1366, height: 768 });
      await prepare();
      for (const [width, height] of [[1366, 768], [390, 844]]) {
        await page.setViewportSize({ width, height });
        for (const v of await axeViolations(page)) problems.push(`${what}, ${width}×${height}: ${v}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        if (width === 390 && overflow > 0) problems.push(`${what}: the page is ${overflow} px wider than a 390 px phone`);
        // The legend is open on a laptop and folded under its summary on a phone (#24).
        const legendOpen = await page.evaluate(() => document.querySelector('.legend-box')?.open);
        if (legendOpen !== (width === 1366)) problems.push(`${what}, ${width}×${height}: legend open = ${legendOpen}`);
      }
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(outDir, `workspace-390x844-${what.replace(/ /g, '-')}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="step-mode"]').click();
    await page.locator('[data-testid="view-timing"]').uncheck();
    if (problems.length) throw new Error(problems.join('\n'));
  });
  check('keyboard: the first Tab stop skips to the diagram, whose arrow keys then move between segments, the panel never a step behind', async (page) => {
    await load(page, base, path.join(root, 'tests/captures/delayed/seed_at_client.pcap'));
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: TIMEOUT });
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('Tab');
    expectEqual(await page.evaluate(() => document.activeElement?.dataset.testid), 'skip-link', 'the first Tab stop');
    if (!(await page.locator('[data-testid="skip-link"]').isVisible())) throw new Error('the skip link is not shown when focused');
    await page.keyboard.press('Enter');
    expectEqual(await page.evaluate(() => document.activeElement?.classList.contains('diagram-pane')), true, 'the focus after the skip link');
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="segment"].selected').waitFor({ timeout: TIMEOUT });
    // The panel never shows one frame's detail under another's selection (the worker answers
    // for the new one a moment later): every change of the page is compared, while the arrow
    // keys move through the segments.
    await page.evaluate(() => {
      window.__stale = [];
      const compare = () => {
        const shown = document.querySelector('.segment-panel h3')?.textContent?.match(/^Frame (\d+)$/)?.[1];
        const selected = document.querySelector('[data-testid="segment"].selected')?.dataset.frame;
        if (shown && selected && shown !== selected) window.__stale.push(`frame ${shown} shown, ${selected} selected`);
      };
      new MutationObserver(compare).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
    });
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    const last = await page.locator('[data-testid="segment"].selected').getAttribute('data-frame');
    await page.locator('.segment-panel h3', { hasText: `Frame ${last}` }).waitFor({ timeout: TIMEOUT });
    const stale = await page.evaluate(() => window.__stale);
    if (stale.length) throw new Error(`the panel showed another segment's detail: ${stale.slice(0, 3).join('; ')}`);
  });
  check("a phone's first screen: the diagram before the list, which folds behind its button and again once a connection is chosen", async (page, context) => {
    // Opened on the phone itself (its own context): the list starts folded (#24).
    const phone = await context.browser().newContext({ viewport: { width: 390, height: 844 } });
    try {
      const p = await phone.newPage();
      await load(p, base, path.join(corpus, 'ndpi_1kxun.pcap'));
      await p.locator('[data-testid="segment"][data-frame]').first().waitFor({ timeout: TIMEOUT });
      const toggle = p.locator('[data-testid="list-toggle"]');
      expectEqual(await toggle.textContent(), '» connections (98)', 'the button of the folded list');
      expectEqual(await p.locator('[data-testid="connection"]').first().isVisible(), false, 'the list folded on the first screen');
      const top = await p.locator('[data-testid="segment"][data-frame]').first().evaluate((el) => el.getBoundingClientRect().top);
      if (!(top < 450)) throw new Error(`the first arrow starts ${top} px down a 844 px phone screen`);
      // No blank band between the lane names (kept, stuck over the lifelines) and the first
      // arrow's text: the drawing's own lane-name band is not drawn on screen (#24: ~55 px).
      const band = await p.evaluate(() => {
        const lanes = document.querySelector('[data-testid="lane-headers"]').getBoundingClientRect();
        const first = document.querySelector('[data-testid="segment"][data-frame]');
        const text = Math.min(...[...first.querySelectorAll('text.label')].map((t) => t.getBoundingClientRect().top));
        const line = first.querySelector('g.arrow line').getBoundingClientRect().top;
        const names = [...document.querySelectorAll('[data-testid="lane-headers"] .lane')].map((l) => l.textContent);
        return { lanesTop: lanes.top, lanesBottom: lanes.bottom, text, line, names };
      });
      if (band.names.length !== 2 || !band.names[0].startsWith('client') || !band.names[1].startsWith('server') || !(band.lanesTop >= 0 && band.lanesBottom > band.lanesTop + 10))
        throw new Error(`the lane names are not shown over the diagram: ${JSON.stringify(band)}`);
      if (!(band.text - band.lanesBottom <= 20)) throw new Error(`${(band.text - band.lanesBottom).toFixed(0)} px of blank between the lane names and the first arrow's label: ${JSON.stringify(band)}`);
      console.log(`     phone: first arrow's line at ${band.line.toFixed(0)} px, its label ${(band.text - band.lanesBottom).toFixed(0)} px under the lane names (at ${band.lanesBottom.toFixed(0)} px)`);
      await p.screenshot({ path: path.join(outDir, 'phone-first-screen-390x844.png') });
      await toggle.click();
      await p.locator('[data-testid="connection"][data-stream="5"]').click();
      await p.locator('.diagram-pane[data-stream="5"]').waitFor({ timeout: TIMEOUT });
      expectEqual(await p.locator('[data-testid="connection"]').first().isVisible(), false, 'the list folded again once a connection is chosen');
      for (const v of await axeViolations(p)) throw new Error(`phone first screen: ${v}`);
    } finally {
      await phone.close();
    }
    await page.close();
  });
  check('responsive: 360 px to 4K, light and dark, with no page overflow and 0 axe-core violations in dark', async (page, context) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${base}/`);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="9"]').click();
    await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
    const problems = [];
    for (const [width, height, scheme] of [[360, 640, 'light'], [1366, 768, 'dark'], [3840, 2160, 'dark']]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      if (overflow > 0) problems.push(`${width}×${height}: the page is ${overflow} px wider than the window`);
      const pane = await page.locator('.diagram-pane').evaluate((el) => el.getBoundingClientRect().width);
      if (width >= 3840 && pane < 2000) problems.push(`${width}×${height}: the diagram pane is only ${pane} px wide`);
      if (scheme === 'dark' && width === 1366) for (const v of await axeViolations(page)) problems.push(`dark, ${width}×${height}: ${v}`);
      await page.screenshot({ path: path.join(outDir, `workspace-${width}x${height}-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    if (problems.length) throw new Error(problems.join('\n'));
  });
  check('links: the URL records the view, and a deep link restores connection, segment and toggles after a reload', async (page, context) => {
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="crossing_fins_delayed_path.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="9"]').click();
    await page.locator('[data-testid="view-timing"]').check();
    await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(() => location.hash.includes('f=9') && location.hash.includes('timing'), null, { timeout: TIMEOUT });
    const hash = await page.evaluate(() => location.hash);
    if (/10\.77|48002|55864/.test(hash)) throw new Error(`the link carries capture data: ${hash}`);
    // A bundled sample's link names it and reopens it by itself (#24).
    if (!hash.includes('file=crossing_fins_delayed_path.pcap')) throw new Error(`the link does not name its sample: ${hash}`);
    await page.reload();
    await page.locator('[data-testid="segment"].selected[data-frame="9"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
    if (!(await page.locator('[data-testid="view-timing"]').isChecked())) throw new Error('the timing toggle was not restored');
    expectEqual(await page.evaluate(() => location.hash), hash, 'the link after restoring');
    // A link to a reader's own file says which file to open (name and size), and opening it
    // restores the view.
    const own = path.join(root, 'tests/captures/delayed/seed_at_client.pcap');
    const size = fs.statSync(own).size;
    await page.goto(`${base}#c=0&f=5&file=seed_at_client.pcap&size=${size}`);
    await page.reload(); // (a new fragment alone is no new page)
    const notice = await page.locator('[data-testid="notice"]').textContent({ timeout: TIMEOUT });
    if (!notice.includes('“seed_at_client.pcap”') || !notice.includes(`${size.toLocaleString('en-US').replace(/,/g, ' ')}`) && !notice.includes(String(size))) throw new Error(`the notice of a link without its file: ${notice}`);
    await page.locator('[data-testid="file-input"]').setInputFiles(own);
    await page.locator('[data-testid="segment"].selected[data-frame="5"]').waitFor({ timeout: TIMEOUT });
    await page.goto(base);
  });
  check('where the time went: the bar above a receiver-limited transfer says what analyze says, and a click goes to the part', async (page, context) => {
    const file = path.join(root, 'tests/captures/lossy/receiver_limited_at_sender.pcap');
    const split = JSON.parse(execFileSync(CLI, ['analyze', file]).toString()).streams[0].time_split;
    await load(page, base, file);
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="time-bar"]').waitFor({ timeout: TIMEOUT });
    const totals = await page.locator('[data-testid="time-total"]').evaluateAll((els) => els.map((e) => ({ kind: e.dataset.kind, frame: Number(e.dataset.frame), text: e.textContent })));
    // Largest first, each kind analyze counts at 0.5 % of the duration or more, with its share.
    const expected = Object.entries(split.totals_ms).filter(([, ms]) => ms >= split.duration_ms * 0.005).sort((a, b) => b[1] - a[1]);
    expectEqual(totals.map((t) => t.kind).join(','), expected.map(([k]) => k).join(','), 'the kinds, largest first');
    const [kind, ms] = expected[0];
    expectEqual(kind, 'receiver_reading', 'where most of the time went (the receiving application read 4 096 bytes every 50 ms)');
    const pct = `(${Math.round((ms * 100) / split.duration_ms)} %)`;
    if (!totals[0].text.includes(pct) || !totals[0].text.includes((ms / 1000).toFixed(3))) throw new Error(`the bar says "${totals[0].text}", analyze ${ms} ms of ${split.duration_ms}`);
    const longest = split.parts.filter((p) => p.kind === kind).sort((a, b) => b.duration_ms - a.duration_ms)[0];
    expectEqual(totals[0].frame, longest.first_frame, 'the total goes to its longest part');
    await page.locator('[data-testid="time-total"]').first().click();
    await page.locator(`[data-testid="segment"].selected[data-frame="${longest.first_frame}"]`).waitFor({ timeout: TIMEOUT });
    // The strip covers the whole duration, part after part.
    const marks = await page.locator('[data-testid="time-bar"] rect.time-part').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('x')), Number(e.getAttribute('width'))]));
    const covered = marks.reduce((sum, [, w]) => sum + w, 0);
    if (Math.abs(covered - 1000) > 2 || marks.some(([x], i) => i > 0 && x < marks[i - 1][0])) throw new Error(`the strip's marks cover ${covered} of 1000 or go back in time`);
  });
  check('names instead of addresses: hidden addresses leave the view and the exported SVG', async (page, context) => {
    const file = 'zeek_http_get-gzip.pcap';
    const s0 = JSON.parse(execFileSync(CLI, ['analyze', path.join(root, 'static/samples', file)]).toString()).streams[0];
    await page.goto(base);
    await page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
    await page.locator('[data-testid="segment"][data-frame="4"]').click();
    await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="endpoint-name"][data-side="client"]').fill('browser');
    await page.locator('[data-testid="endpoint-name"][data-side="client"]').press('Tab');
    await page.locator('[data-testid="endpoint-name"][data-side="server"]').fill('web server');
    await page.locator('[data-testid="endpoint-name"][data-side="server"]').press('Tab');
    await page.locator('[data-testid="hide-addresses"]').check();
    await page.waitForFunction(() => document.querySelector('svg.ladder')?.getAttribute('aria-label')?.includes('browser → web server'), null, { timeout: TIMEOUT });
    const secrets = [s0.client.addr, s0.server.addr, `:${s0.client.port}`, `:${s0.server.port}`];
    const shown = await page.locator('.workspace').textContent();
    for (const x of secrets) if (shown.includes(x)) throw new Error(`${x} still shown with addresses hidden`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-svg"]').click()]);
    const svgPath = path.join(outDir, 'hidden-addresses.svg');
    await download.saveAs(svgPath);
    const svg = fs.readFileSync(svgPath, 'utf8');
    for (const x of secrets) if (svg.includes(x)) throw new Error(`${x} in the exported SVG`);
    if (!svg.includes('browser') || !svg.includes('web server')) throw new Error('the names are not in the exported SVG');
    await page.screenshot({ path: path.join(outDir, 'hidden-addresses.png') });
    // The link keeps the names and the hiding (the reader's words, never the capture's).
    await page.waitForFunction(() => location.hash.includes('n1=browser') && location.hash.includes('hide-addresses'), null, { timeout: TIMEOUT });
    const link = await page.evaluate(() => location.hash);
    for (const x of secrets) if (link.includes(x.replace(':', ''))) throw new Error(`${x} in the link ${link}`);
  });
  check('installable and offline: manifest with file handlers, content-hashed worker files, a reload with the network off opens a sample', async (page, context) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.webmanifest'), 'utf8'));
    const accepted = Object.values(manifest.file_handlers[0].accept).flat();
    for (const ext of ['.pcap', '.pcapng', '.cap', '.gz']) if (!accepted.includes(ext)) throw new Error(`the manifest's file handler lacks ${ext}`);
    const names = fs.readdirSync(dist);
    for (const kind of ['.js', '_bg.wasm', '_loader.js']) {
      if (!names.some((n) => new RegExp(`^tcp-ladder-worker-[0-9a-f]{16}${kind.replace('.', '\\.')}$`).test(n))) throw new Error(`no content-hashed worker ${kind} in ${names.join(' ')}`);
    }
    // The check's own context is fresh: no service worker yet.
    await page.goto(base);
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: TIMEOUT });
    await context.setOffline(true);
    await page.reload();
    await page.locator('[data-testid="sample"][data-file="seed_close_delayed.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="11"]').waitFor({ timeout: TIMEOUT });
    await context.setOffline(false);
  });
  check('nothing from a capture runs: markup in payloads, pcapng comments, interface and file names stays text in every view and export', async (page, context) => {
    const hostile = path.join(root, 'tests/captures/hostile');
    const dialogs = [];
    const onDialog = (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); };
    page.on('dialog', onDialog);
    const problems = [];
    const activeInPage = () => page.evaluate(() => {
      const onAttrs = [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${el.tagName} ${a.name}`));
      return { pwned: window.__pwned, scripts: document.scripts.length, iframes: document.querySelectorAll('iframe, object, embed, foreignObject').length, onAttrs };
    });
    await page.goto(base);
    const scriptsBefore = (await activeInPage()).scripts;
    for (const file of ['markup_in_payloads.pcap', 'markup_in_comments.pcapng']) {
      // The file's own name is markup too.
      const name = `<img src=x onerror="window.__pwned='name'">${file}`;
      await page.goto(base);
      await page.locator('[data-testid="file-input"]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(hostile, file)) });
      await page.locator('[data-testid="capture-summary"]').waitFor({ timeout: TIMEOUT });
      expectEqual(await page.locator('[data-testid="capture-summary"]').getAttribute('data-packets'), '16', `${file}: packets`);
      if (!(await page.locator('.app-bar').textContent()).includes('<img src=x')) problems.push(`${file}: the file name is not shown as text`);
      await page.locator('[data-testid="connection"]').first().click();
      await page.locator('[data-testid="segment"][data-frame="4"]').waitFor({ timeout: TIMEOUT });
      // Names typed by a reader, as hostile as the capture.
      await page.locator('[data-testid="endpoint-name"][data-side="client"]').fill('<svg onload=alert(1)>%%{init}%%');
      await page.locator('[data-testid="endpoint-name"][data-side="client"]').press('Enter');
      await page.locator('[data-testid="endpoint-name"][data-side="server"]').fill('"; !include /etc/passwd <img:http://x/>');
      await page.locator('[data-testid="endpoint-name"][data-side="server"]').press('Enter');
      // Every segment's detail (its bytes in the hex dump's text column), in every view.
      for (const view of ['even', 'timing']) {
        if (view === 'timing') {
          await page.locator('[data-testid="view-timing"]').check();
          await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
        }
        // Each of the 16 frames selected by number (a re-render may replace the elements
        // between a listing and a click, never the numbers): clicked in the evenly spaced view,
        // where all 16 arrows are drawn; in the timing view, which keeps only the arrows near
        // the scroll position in the DOM, chosen with "jump to frame" (which scrolls to it).
        for (let f = 1; f <= 16; f++) {
          if (view === 'even') {
            await page.locator(`[data-testid="segment"][data-frame="${f}"]`).first().click();
          } else {
            await page.locator('[data-testid="jump-frame"]').fill(String(f));
            await page.locator('[data-testid="jump-frame"]').press('Enter');
          }
          await page.locator(`[data-testid="segment"].selected[data-frame="${f}"]`).waitFor({ timeout: TIMEOUT });
          if (view === 'timing') {
            // "Jump to frame" scrolls the pane to the arrow (it once scrolled back to the top).
            const onScreen = () => page.waitForFunction((frame) => {
              const pane = document.querySelector('.diagram-scroll').getBoundingClientRect();
              const line = document.querySelector(`[data-testid="segment"].selected[data-frame="${frame}"] line`)?.getBoundingClientRect();
              return line && line.bottom > pane.top && line.top < pane.bottom;
            }, f, { timeout: 5_000 });
            await onScreen().catch(() => problems.push(`${file}: jumping to frame ${f} in the timing view left its arrow off screen`));
          }
        }
      }
      // The lesson, one segment at a time through the whole connection.
      await page.locator('[data-testid="step-mode"]').click();
      for (let i = 0; i < 16; i++) await page.locator('.diagram-pane').press('ArrowRight');
      await page.locator('[data-testid="step-mode"]').click();
      await page.locator('[data-testid="view-timing"]').uncheck();
      // (Leaving the lesson keeps its last step in view: frame 6 may sit half under the sticky
      // lane names, where a click lands on them. Bring it to the middle first.)
      await page.locator('[data-testid="segment"][data-frame="6"]').evaluate((e) => e.scrollIntoView({ block: 'center' }));
      await page.locator('[data-testid="segment"][data-frame="6"]').click();
      await page.locator('[data-testid="segment"].selected[data-frame="6"]').waitFor({ timeout: TIMEOUT });
      // The detail pane renders after the selection: wait for frame 6's bytes, not the last frame's.
      const hexAscii = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="hexdump"] .hex-ascii')].map((e) => e.textContent).join(''));
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="hexdump"] .hex-ascii')].map((e) => e.textContent).join('').includes('<iframe srcdoc='), null, { timeout: 5_000 }).catch(() => {});
      const ascii = await hexAscii();
      if (!ascii.includes('<iframe srcdoc=')) problems.push(`${file}: frame 6's payload is not in the hex dump's text column: ${ascii.slice(0, 200)}`);
      // Every export.
      const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-svg"]').click()]);
      const svg = fs.readFileSync(await svgDownload.path(), 'utf8');
      // Markup in names is there as text (escaped); as elements and attributes, nothing active.
      const active = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        if (doc.querySelector('parsererror')) return ['not well-formed'];
        return [...doc.querySelectorAll('*')].flatMap((el) => [
          ...(/^(script|foreignObject|iframe|object|embed|a|image|use|animate|set)$/i.test(el.localName) ? [`<${el.localName}>`] : []),
          ...[...el.attributes].filter((a) => /^on/i.test(a.name) || /href$/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => `${el.localName} ${a.name}`),
        ]);
      }, svg);
      if (active.length) problems.push(`${file}: the SVG export carries active content: ${active.slice(0, 5).join(', ')}`);
      const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-png"]').click()]);
      if (!fs.readFileSync(await pngDownload.path()).subarray(1, 4).equals(Buffer.from('PNG'))) problems.push(`${file}: the PNG export is not a PNG`);
      await page.locator('[data-testid="export-mermaid"]').click();
      const mermaid = await page.locator('[data-testid="export-text"]').inputValue();
      if (/^\s*(%%\{|click\b)|<svg|<img|%%\{/m.test(mermaid)) problems.push(`${file}: the Mermaid export carries a directive or markup:\n${mermaid.slice(0, 400)}`);
      await page.locator('[data-testid="export-plantuml"]').click();
      const plantuml = await page.locator('[data-testid="export-text"]').inputValue();
      const body = plantuml.trim().split('\n').slice(1, -1).join('\n');
      if (/^\s*(!|@enduml)|<img:|%\w+\(|\[\[/m.test(body)) problems.push(`${file}: the PlantUML export carries a directive or markup:\n${plantuml.slice(0, 400)}`);
      const state = await activeInPage();
      if (state.pwned !== undefined) problems.push(`${file}: script from the capture ran (window.__pwned = ${state.pwned})`);
      if (state.scripts !== scriptsBefore) problems.push(`${file}: ${state.scripts - scriptsBefore} script elements appeared`);
      if (state.iframes || state.onAttrs.length) problems.push(`${file}: active elements or attributes in the page: ${state.iframes} frames/objects, ${state.onAttrs.join(', ')}`);
    }
    page.off('dialog', onDialog);
    if (dialogs.length) problems.push(`dialogs opened: ${dialogs.join(', ')}`);
    await page.screenshot({ path: path.join(outDir, 'hostile-markup.png') });
    if (problems.length) throw new Error(problems.join('\n'));
  });
  check('a file that is not a capture gets a clear message', async (page, context) => {
    const tmp = path.join(outDir, 'not-a-capture.html');
    fs.writeFileSync(tmp, '<!DOCTYPE html><html><body>hello</body></html>');
    await load(page, base, tmp);
    const error = page.locator('[data-testid="error"]');
    await error.waitFor({ timeout: TIMEOUT });
    const text = await error.textContent();
    if (!/HTML file/.test(text)) throw new Error(`unexpected message: ${text}`);
    await page.screenshot({ path: path.join(outDir, 'not-a-capture.png') });
  });
  check('a capture cut short shows what was read and where it broke', async (page, context) => {
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

  check('stream graphs and follow stream: same values as the CLI, linked both ways to the ladder', async (page, context) => {
    const run = (args) => execFileSync(CLI, args, { maxBuffer: 1 << 28 });
    // Graphs on a real bulk transfer (Linux stacks, delayed path).
    const bulk = path.join(root, 'tests/captures/delayed/bulk_middle.pcap');
    await load(page, base, bulk);
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-graph"]').click();
    const graph = page.locator('[data-testid="graph"][data-kind="tseq"]');
    await graph.waitFor({ timeout: TIMEOUT });
    const tseqPoints = await page.locator('[data-testid="graph-point"]').count();
    if (tseqPoints < 50) throw new Error(`time-sequence graph has ${tseqPoints} points`);
    await page.screenshot({ path: path.join(outDir, 'graph-tseq-1366.png') });
    // The RTT graph's points are the frames the CLI lists with tcp.analysis.ack_rtt.
    await page.locator('[data-testid="graph-kind"]').selectOption('rtt');
    await page.locator('[data-testid="graph"][data-kind="rtt"]').waitFor({ timeout: TIMEOUT });
    const rttCsv = run(['graph', bulk, '--stream', '0', '--kind', 'rtt']).toString().trim().split('\n').slice(1);
    const cliFrames = new Set(rttCsv.map((l) => Number(l.split(',')[1])));
    const shown = await page.locator('[data-testid="graph-point"]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
    const exact = await page.locator('[data-testid="graph"]').getAttribute('data-exact');
    if (exact === 'true') expectEqual(shown.length, cliFrames.size, 'RTT points against the CLI');
    const strangers = shown.filter((f) => !cliFrames.has(f));
    if (strangers.length) throw new Error(`RTT points not in the CLI's CSV: ${strangers.slice(0, 5)}`);
    console.log(`     rtt: ${shown.length} points, the CLI's ${cliFrames.size} frames`);
    // Click a point: the ladder selects that frame (opening its collapsed run) and the graph
    // marks the selected segment.
    // (A point another covers would get the other's click: take one on top at its centre.)
    const onTop = await page.locator('[data-testid="graph-point"]').evaluateAll((els) => els.filter((e) => {
      const r = e.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === e;
    }).map((e) => Number(e.dataset.frame)));
    const target = onTop[Math.floor(onTop.length / 2)];
    await page.locator(`[data-testid="graph-point"][data-frame="${target}"]`).first().click();
    await page.locator(`[data-testid="segment"][data-frame="${target}"].selected`).waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="graph-selected"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    await page.locator(`[data-testid="graph-point"][data-frame="${target}"].picked`).first().waitFor({ timeout: TIMEOUT });
    console.log(`     clicked the RTT point of frame ${target}: the ladder selected frame ${target}`);
    // Selecting another arrow in the ladder moves the mark on the graph.
    await page.locator('.diagram-pane').focus();
    await page.keyboard.press('ArrowDown');
    const moved = await page.locator('[data-testid="segment"].selected').getAttribute('data-frame');
    if (moved === String(target)) throw new Error('↓ did not move the selection');
    // Zoom by brushing, then reset.
    await page.locator('[data-testid="graph-kind"]').selectOption('tseq');
    await page.locator('[data-testid="graph"][data-kind="tseq"]').waitFor({ timeout: TIMEOUT });
    const box = await page.locator('.graph-svg').boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.locator('[data-testid="graph-reset"]:not([disabled])').waitFor({ timeout: TIMEOUT });
    const zoomedTicks = await page.locator('.graph-svg .g-tick text').allTextContents();
    await page.screenshot({ path: path.join(outDir, 'graph-tseq-zoomed.png') });
    await page.locator('[data-testid="graph-reset"]').click();
    await page.locator('[data-testid="graph-reset"][disabled]').waitFor({ timeout: TIMEOUT });
    console.log(`     brushed 30–45 %: x axis ${zoomedTicks.slice(0, 3).join(', ')} …`);
    // Exports of what is shown: SVG with no script, CSV with its header.
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="graph-export-svg"]').click()]);
    const svgText = fs.readFileSync(await svgFile.path(), 'utf8');
    if (!svgText.startsWith('<svg') || /<script|on[a-z]+=/i.test(svgText)) throw new Error('graph SVG export is not a plain SVG');
    const [csvFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="graph-export-csv"]').click()]);
    const csvText = fs.readFileSync(await csvFile.path(), 'utf8');
    if (!csvText.startsWith('series,time,frame,value,value_top\n')) throw new Error(`graph CSV: ${csvText.slice(0, 60)}`);
    for (const [w, h] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width: w, height: h });
      await page.locator('[data-testid="graph"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(outDir, `graph-tseq-${w}x${h}.png`) });
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    const graphAxe = await axeViolations(page);
    if (graphAxe.length) throw new Error(`axe with a graph open: ${graphAxe.join('; ')}`);

    // Follow stream on an HTTP exchange: the chunks and bytes the CLI gives.
    const http = path.join(corpus, 'zeek_http_get.pcap');
    await load(page, base, http);
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="follow-chunk"]').first().waitFor({ timeout: TIMEOUT });
    const cli = JSON.parse(run(['follow', http, '--stream', '0']).toString());
    const chunks = await page.locator('[data-testid="follow-chunk"]').evaluateAll((els) => els.map((e) => [Number(e.dataset.frame), e.dataset.dir]));
    expectEqual(JSON.stringify(chunks), JSON.stringify(cli.chunks.map((c) => [c.frame, c.dir])), 'follow chunks (frame, direction) against the CLI');
    const text = (await page.locator('[data-testid="follow-chunk"]').allTextContents()).join('');
    if (!text.includes('GET /download/CHANGES.bro-aux.txt HTTP/1.1')) throw new Error('the request line is not shown as text');
    // The margin: each message's words before the segment that brings its first byte, as
    // `tcp-ladder messages` gives them (frame and words).
    const messages = JSON.parse(run(['messages', http, '--stream', '0', '--format', 'json']).toString())[0].messages;
    const marks = await page.locator('[data-testid="follow-mark"]').evaluateAll((els) => els.map((e) => {
      let next = e.nextElementSibling;
      while (next && next.dataset.testid !== 'follow-chunk') next = next.nextElementSibling;
      return [Number(next?.dataset.frame), e.dataset.dir, e.textContent];
    }));
    expectEqual(JSON.stringify(marks), JSON.stringify(messages.map((m) => [m.first_frame, m.dir, `▸ ${m.summary}`])), "Follow's margin against tcp-ladder messages");
    // Search finds the server's header; a chunk click selects its frame in the ladder.
    await page.locator('[data-testid="follow-search"]').fill('content-length');
    await page.locator('[data-testid="follow-search"]').press('Enter');
    await page.locator('.follow-chunk.found').waitFor({ timeout: TIMEOUT });
    const foundDir = await page.locator('.follow-chunk.found').getAttribute('data-dir');
    expectEqual(foundDir, 's2c', 'the chunk holding Content-Length');
    const pick = cli.chunks[cli.chunks.length - 1].frame;
    await page.locator(`[data-testid="follow-chunk"][data-frame="${pick}"]`).first().click();
    await page.locator(`[data-testid="segment"][data-frame="${pick}"].selected`).waitFor({ timeout: TIMEOUT });
    await page.locator(`[data-testid="follow-chunk"][data-frame="${pick}"].picked`).first().waitFor({ timeout: TIMEOUT });
    // Raw download per direction: the same bytes as `tcp-ladder follow --format raw`.
    for (const [button, dir] of [['follow-download-client', 'c2s'], ['follow-download-server', 's2c']]) {
      const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${button}"]`).click()]);
      const got = fs.readFileSync(await file.path());
      const want = run(['follow', http, '--stream', '0', '--format', 'raw', '--dir', dir]);
      if (!got.equals(want)) throw new Error(`${dir} download: ${got.length} bytes, the CLI gives ${want.length}`);
    }
    await page.locator('[data-testid="follow"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'follow-1366.png') });
    await page.locator('[data-testid="follow-hex"]').click();
    await page.screenshot({ path: path.join(outDir, 'follow-hex-1366.png') });
    await page.locator('[data-testid="follow-hex"]').click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="follow"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'follow-390x844.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    const followAxe = await axeViolations(page);
    if (followAxe.length) throw new Error(`axe with follow open: ${followAxe.join('; ')}`);
    console.log(`     follow: ${chunks.length} chunks as the CLI gives them; both directions' bytes identical`);
  });
  check('graphs: a box dragged on the time-sequence graph zooms both axes, its points inside the box, lines clipped', async (page) => {
    // A real loss recovery (Linux sender, netem drop; tests/captures/lossy/README.md).
    await page.setViewportSize({ width: 1366, height: 768 });
    await load(page, base, path.join(root, 'tests/captures/lossy/drop_mid_at_sender.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-graph"]').click();
    const graph = page.locator('[data-testid="graph"][data-kind="tseq"]');
    await graph.waitFor({ timeout: TIMEOUT });
    // With a graph open on a laptop the ladder keeps at least half the pane's height (#24: it
    // had 37 % of it, a ~130 px strip before that), and the graph is still whole in its box.
    const share = await page.evaluate(() => {
      const h = (sel) => document.querySelector(sel).getBoundingClientRect().height;
      const tools = document.querySelector('[data-testid="stream-tools"]');
      return { pane: h('.diagram-pane'), ladder: h('.diagram-view'), tools: h('[data-testid="stream-tools"]'), hidden: tools.scrollHeight - tools.clientHeight };
    });
    if (!(share.ladder >= share.pane / 2)) throw new Error(`1366×768 with a graph open: the ladder is ${share.ladder.toFixed(0)} px of the pane's ${share.pane.toFixed(0)}`);
    console.log(`     1366×768 with a graph open: the ladder ${share.ladder.toFixed(0)} px of the pane's ${share.pane.toFixed(0)} (${Math.round((100 * share.ladder) / share.pane)} %), the tools ${share.tools.toFixed(0)} px (${share.hidden} px to scroll)`);
    const nums = async (attr) => (await graph.getAttribute(attr)).split(' ').map(Number);
    const ticks = async (anchor) => page.locator(`.graph-svg .g-tick text[text-anchor="${anchor}"]`).allTextContents();
    const [t0, t1] = await nums('data-range');
    const [y0, y1] = await nums('data-y-range');
    const before = { x: await ticks('middle'), y: await ticks('end') };
    // Units in the axis titles, bare numbers on the ticks.
    const titles = await page.locator('.graph-svg text.g-axis').allTextContents();
    if (!titles.every((t) => /\((s|ms|µs|bytes|kB|MB|GB)\)$/.test(t))) throw new Error(`axis titles without their unit: ${titles}`);
    if (![...before.x, ...before.y].every((t) => /^-?[\d.]+$/.test(t))) throw new Error(`tick labels are not bare numbers: ${before.x} / ${before.y}`);
    // The value axis' title stands within the plot's height, unit and all (under the ladder on
    // a laptop the plot is short: "relative sequence number (kB)" ran off its top).
    const yTitle = await page.evaluate(() => {
      const t = [...document.querySelectorAll('.graph-svg text.g-axis')].find((e) => (e.getAttribute('transform') ?? '').includes('rotate'));
      const [r, bg] = [t.getBoundingClientRect(), document.querySelector('.graph-svg .g-bg').getBoundingClientRect()];
      return { text: t.textContent, top: r.top, bottom: r.bottom, plotTop: bg.top, plotBottom: bg.bottom };
    });
    if (yTitle.top < yTitle.plotTop - 2 || yTitle.bottom > yTitle.plotBottom + 2) throw new Error(`the value axis' title does not fit the plot: ${JSON.stringify(yTitle)}`);
    // Retransmissions have their own mark in the legend (tcptrace's R), apart from SACK blocks.
    const legend = await page.locator('[data-testid="graph-legend-entry"]').evaluateAll((els) => els.map((e) => e.dataset.marker));
    if (!legend.includes('Retransmission') || !legend.includes('Sack')) throw new Error(`legend marks: ${legend}`);
    const area = await page.locator('.graph-svg .g-bg').boundingBox();
    // The box a reader would drag: around the loss recovery (the retransmission mark), a sixth
    // of the time axis wide and a quarter of the value axis tall (a fixed box fell on an empty
    // stretch of this capture: the application sent nothing for its first 200 ms).
    const resend = await page.locator('[data-testid="graph-point"].g-retrans').first().evaluate((e) => [Number(e.dataset.t), Number(e.dataset.v.split(' ')[0])]);
    const clampF = (f) => Math.min(0.98, Math.max(0.02, f));
    const [rx, ry] = [(resend[0] - t0) / (t1 - t0), 1 - (resend[1] - y0) / (y1 - y0)];
    const [fx0, fx1, fy0, fy1] = [clampF(rx - 0.08), clampF(rx + 0.08), clampF(ry - 0.12), clampF(ry + 0.12)];
    await page.mouse.move(area.x + area.width * fx0, area.y + area.height * fy0);
    // The plot stays put when the pointer enters it: the reading beside the buttons turns from
    // the hint into the values under the pointer without changing the bar's height (it did,
    // and a dragged box zoomed 6 px off what was drawn).
    await page.waitForFunction(() => !document.querySelector('.graph-reading').textContent.startsWith('drag a box'));
    const hovered = await page.locator('.graph-svg .g-bg').boundingBox();
    if (Math.abs(hovered.y - area.y) > 0.5 || Math.abs(hovered.x - area.x) > 0.5) throw new Error(`the plot moved when the pointer entered it: ${JSON.stringify(area)} → ${JSON.stringify(hovered)}`);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * fx1, area.y + area.height * fy1, { steps: 6 });
    await page.mouse.up();
    await page.locator('[data-testid="graph"][data-y-zoomed="true"]').waitFor({ timeout: TIMEOUT });
    const [z0, z1] = await nums('data-range');
    const [w0, w1] = await nums('data-y-range');
    // The windows are the box, read with the axes as they were (a pixel of slack).
    const want = [t0 + fx0 * (t1 - t0), t0 + fx1 * (t1 - t0), y0 + (1 - fy1) * (y1 - y0), y0 + (1 - fy0) * (y1 - y0)];
    const slack = [(t1 - t0) / area.width, (y1 - y0) / area.height].map((v) => v * 1.5);
    [z0, z1, w0, w1].forEach((v, i) => { if (Math.abs(v - want[i]) > slack[i < 2 ? 0 : 1]) throw new Error(`zoom window ${[z0, z1, w0, w1]}, the box was ${want}`); });
    const after = { x: await ticks('middle'), y: await ticks('end') };
    if (after.x.join() === before.x.join()) throw new Error(`time ticks unchanged: ${after.x}`);
    if (after.y.join() === before.y.join()) throw new Error(`value ticks unchanged: ${after.y}`);
    // Every plotted point lies in the box: in data (its time, its range meets the value
    // window) and on screen (within the plot area).
    const points = await page.locator('[data-testid="graph-point"]').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      const [v, v2] = e.dataset.v.split(' ').map(Number);
      return { t: Number(e.dataset.t), v, v2, r: { x: r.x, y: r.y, w: r.width, h: r.height } };
    }));
    if (!points.length) throw new Error('no point in the box');
    const zoomedArea = await page.locator('.graph-svg .g-bg').boundingBox();
    const outside = points.filter((p) => p.t < z0 || p.t > z1 || Math.max(p.v, p.v2) < w0 || Math.min(p.v, p.v2) > w1
      || p.r.x < zoomedArea.x - 5 || p.r.x + p.r.w > zoomedArea.x + zoomedArea.width + 5 || p.r.y < zoomedArea.y - 5 || p.r.y + p.r.h > zoomedArea.y + zoomedArea.height + 5);
    if (outside.length) throw new Error(`${outside.length} of ${points.length} points outside the box: ${JSON.stringify(outside.slice(0, 3))}`);
    const lines = await page.locator('.graph-svg path.g-line').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width + r.height > 0).map((r) => [r.x, r.y, r.right, r.bottom]));
    if (!lines.length) throw new Error('no line (ACK, window) crosses the box');
    const strayLine = lines.find(([x, y, r, b]) => x < zoomedArea.x - 2 || y < zoomedArea.y - 2 || r > zoomedArea.x + zoomedArea.width + 2 || b > zoomedArea.y + zoomedArea.height + 2);
    if (strayLine) throw new Error(`a line drawn outside the plot: ${strayLine}`);
    await page.screenshot({ path: path.join(outDir, 'graph-tseq-box-zoom-1366x768.png') });
    // The same zoom on a phone: the graph redrawn at the pane's width keeps its windows.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="graph"][data-y-zoomed="true"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'graph-tseq-box-zoom-390x844.png') });
    expectEqual((await nums('data-y-range')).join(), [w0, w1].join(), 'value window after the resize');
    await page.setViewportSize({ width: 1366, height: 768 });
    console.log(`     box ${z0.toFixed(4)}–${z1.toFixed(4)} s × ${Math.round(w0)}–${Math.round(w1)}: ${points.length} points inside, ${lines.length} lines clipped; ticks ${after.x.slice(0, 2)} / ${after.y.slice(0, 2)}`);
    // Esc from within the graph goes back to the whole connection.
    await page.locator('[data-testid="graph-reset"]').focus();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="graph"][data-y-zoomed="false"] [data-testid="graph-reset"][disabled]').waitFor({ timeout: TIMEOUT });
    // Throughput: the window said on the graph, sized from the connection (not 1 s).
    await page.locator('[data-testid="graph-kind"]').selectOption('throughput');
    await page.locator('[data-testid="graph"][data-kind="throughput"]').waitFor({ timeout: TIMEOUT });
    const sub = await page.locator('[data-testid="graph"] .graph-head').textContent();
    if (!/sliding window of [\d.]+ (ms|µs|s) \(.*(round trip|connection)/.test(sub)) throw new Error(`throughput window not said: ${sub}`);
    console.log(`     throughput: ${sub.split('—')[1]?.trim()}`);
    // At 1920×1080 the tools are still under the ladder (beside it from 2200 px), the ladder ≥ half.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(200);
    const hd = await page.evaluate(() => { const tools = document.querySelector('[data-testid="stream-tools"]'); return { pane: document.querySelector('.diagram-pane').getBoundingClientRect().height, ladder: document.querySelector('.diagram-view').getBoundingClientRect().height, hidden: tools.scrollHeight - tools.clientHeight }; });
    if (!(hd.ladder >= hd.pane / 2) || hd.hidden > 1) throw new Error(`1920×1080 with a graph open: the ladder is ${hd.ladder.toFixed(0)} px of the pane's ${hd.pane.toFixed(0)}, ${hd.hidden} px to scroll in the tools`);
    await page.screenshot({ path: path.join(outDir, 'graph-throughput-1920x1080.png') });
    console.log(`     1920×1080 with a graph open: the ladder ${hd.ladder.toFixed(0)} px of the pane's ${hd.pane.toFixed(0)} (${Math.round((100 * hd.ladder) / hd.pane)} %), ${hd.hidden} px to scroll in the tools (was 412 of 1025)`);
    // On a wide screen the tools stand beside the ladder, which keeps the pane's height (#24).
    await page.setViewportSize({ width: 2560, height: 1440 });
    const beside = await page.evaluate(() => {
      const r = (sel) => (({ top, bottom, left, right, height }) => ({ top, bottom, left, right, height }))(document.querySelector(sel).getBoundingClientRect());
      return { pane: r('.diagram-pane'), ladder: r('.diagram-and-panel'), tools: r('[data-testid="stream-tools"]'), graph: r('.graph-svg'), sideways: document.querySelector('.diagram-scroll').scrollWidth - document.querySelector('.diagram-scroll').clientWidth };
    });
    if (!(beside.tools.left >= beside.ladder.right && beside.tools.top <= beside.ladder.top && beside.ladder.height >= 0.75 * beside.pane.height && beside.sideways <= 1))
      throw new Error(`2560×1440 with a graph open: the tools are not beside the ladder: ${JSON.stringify(beside)}`);
    await page.screenshot({ path: path.join(outDir, 'graph-beside-2560x1440.png') });
    console.log(`     2560×1440: the tools beside the ladder (${Math.round(beside.tools.left)} px from the left), the ladder ${Math.round(beside.ladder.height)} of the pane's ${Math.round(beside.pane.height)} px, the plot ${Math.round(beside.graph.height)} px tall`);
    await page.setViewportSize({ width: 1366, height: 768 });
  });
  check('follow stream: text continuous across segments, a boundary a thin mark', async (page) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await load(page, base, path.join(corpus, 'zeek_http_get.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="follow-chunk"]').first().waitFor({ timeout: TIMEOUT });
    const runs = await page.locator('[data-testid="follow-run"]').evaluateAll((els) => els.map((run) => {
      const chunks = [...run.querySelectorAll('[data-testid="follow-chunk"]')];
      // Where a chunk ends mid-line: does the next one go on on the same line?
      const joins = chunks.slice(1).map((c, i) => {
        const prev = chunks[i];
        if (prev.textContent.endsWith('\n')) return null;
        const a = [...prev.getClientRects()].pop();
        const b = c.getClientRects()[0];
        return a && b ? Math.abs(a.top - b.top) < 2 : false;
      }).filter((j) => j !== null);
      // (The margin's marks, where a message begins, are lines of their own, not the bytes.)
      const text = [...run.childNodes].filter((n) => n.dataset?.testid !== 'follow-mark').map((n) => n.textContent).join('');
      return { dir: run.dataset.dir, text, pieces: chunks.map((c) => c.textContent).join(''), chunks: chunks.length, joins };
    }));
    const chunkCount = runs.reduce((n, r) => n + r.chunks, 0);
    if (!(runs.length < chunkCount)) throw new Error(`${runs.length} blocks for ${chunkCount} chunks: every segment its own block`);
    for (const r of runs) if (r.text !== r.pieces) throw new Error(`a ${r.dir} block adds text between its segments`);
    const joins = runs.flatMap((r) => r.joins);
    if (!joins.length) throw new Error('no segment boundary inside a line to check');
    if (joins.includes(false)) throw new Error(`${joins.filter((j) => !j).length} of ${joins.length} mid-line boundaries break the line`);
    // Directions alternate block by block (a block is a run of one side).
    if (runs.some((r, i) => i > 0 && runs[i - 1].dir === r.dir)) throw new Error('two blocks of one direction in a row');
    await page.locator('[data-testid="follow"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'follow-continuous-1366x768.png') });
    console.log(`     ${chunkCount} chunks in ${runs.length} blocks; ${joins.length} mid-line boundaries, each continues on its line`);
  });
  check('timing view: every label of the delayed seed exchange drawn, none over another, headed columns, resent style in the legend', async (page, context) => {
    const file = path.join(root, 'tests/captures/delayed/seed_at_client.pcap');
    const expected = JSON.parse(execFileSync(CLI, ['analyze', file]).toString()).streams[0];
    await load(page, base, file);
    await page.locator('[data-testid="segment"][data-frame="1"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="view-timing"]').check();
    await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
    // One arrow and one drawn label per segment (issue #24: 6 of 10 labels were drawn).
    const labels = await page.locator('[data-testid="segment"] text.label').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      const g = e.closest('[data-testid="segment"]');
      return { text: e.textContent, fin: g.classList.contains('seg-fin'), box: [r.left, r.top, r.right, r.bottom] };
    }));
    expectEqual(await page.locator('[data-testid="segment"][data-frame]').count(), expected.packets, 'arrows in the timing view');
    expectEqual(labels.length, expected.packets, 'labels drawn in the timing view');
    // An arrow's colour and its label are the same segment's: the FIN arrows say FIN.
    const wrong = labels.filter((l) => l.fin !== l.text.startsWith('FIN'));
    if (wrong.length) throw new Error(`labels that do not match their arrow's kind: ${wrong.map((l) => l.text).join('; ')}`);
    const overlaps = [];
    labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
      if (a.box[0] < b.box[2] - 0.5 && b.box[0] < a.box[2] - 0.5 && a.box[1] < b.box[3] - 0.5 && b.box[1] < a.box[3] - 0.5) overlaps.push(`${a.text} / ${b.text}`);
    }));
    if (overlaps.length) throw new Error(`labels drawn over each other: ${overlaps.join('; ')}`);
    const headings = await page.locator('[data-testid="column-heading"]').evaluateAll((els) => els.map((e) => e.firstChild.textContent));
    if (headings.length !== 4) throw new Error(`column headings: ${headings.join(' | ')}`);
    const sentence = await page.locator('[data-testid="capture-explain"]').textContent();
    if (!sentence.startsWith('Dashed line: where this capture was taken')) throw new Error(`capture line sentence: ${sentence}`);
    if (!await page.locator('.legend-item.resent').count()) throw new Error('no legend entry for segments sent again');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.screenshot({ path: path.join(outDir, 'timing-labels-1366x768.png') });
    const wide = await axeViolations(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(outDir, 'timing-labels-390x844.png') });
    const narrow = await axeViolations(page);
    // (#24's "done when": looked at on a 1920×1080 screen too.)
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(outDir, 'timing-labels-1920x1080.png') });
    narrow.push(...(await axeViolations(page)));
    await page.setViewportSize({ width: 390, height: 844 });
    // The close (scrolled to the end of the diagram), at both sizes.
    const toEnd = () => page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await toEnd();
    await page.locator('.diagram-scroll').screenshot({ path: path.join(outDir, 'timing-labels-close-390x844.png') });
    await page.setViewportSize({ width: 1366, height: 768 });
    await toEnd();
    await page.locator('.diagram-scroll').screenshot({ path: path.join(outDir, 'timing-labels-close-1366x768.png') });
    if (wide.length || narrow.length) throw new Error(`axe in the timing view: ${[...wide, ...narrow].join('; ')}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    console.log(`     timing view: ${labels.length} of ${expected.packets} labels drawn, none overlapping; headings: ${headings.join(' | ')}`);
  });
  check('rows by capture time: the idle pauses of a keep-alive connection marked on the ruler with their length, taller than a busy gap', async (page) => {
    const file = 'ndpi_ocsp.pcapng';
    const stream = 1; // 50 segments over 193 s: a keep-alive every 10.2 s
    const packets = oracle(file).packets.filter((p) => p.stream === stream);
    const pauses = packets.slice(1).map((p, i) => [packets[i].frame, p.frame, p.time_relative - packets[i].time_relative]).filter(([, , gap]) => gap >= 1);
    // Every pause in the drawing (the CLI's SVG is the page's export, whole).
    const svg = execFileSync(CLI, ['render', '--by-time', '--stream', String(stream), path.join(corpus, file)]).toString();
    const marks = [...svg.matchAll(/class="tick"[^>]*>idle ([\d.]+) s</g)].map((m) => Number(m[1]));
    expectEqual(marks.length, pauses.length, `idle marks in the SVG (pauses of 1 s or more in ${file} stream ${stream})`);
    marks.forEach((m, i) => { if (Math.abs(m - pauses[i][2]) > 0.006) throw new Error(`idle mark ${i + 1}: ${m} s, the capture says ${pauses[i][2].toFixed(4)} s`); });
    await page.setViewportSize({ width: 1366, height: 768 });
    await load(page, base, path.join(corpus, file));
    await page.locator(`[data-testid="connection"][data-stream="${stream}"]`).click();
    await page.locator(`.diagram-pane[data-stream="${stream}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="toggle-time"]').check();
    const [before, after] = pauses[0];
    const first = page.locator('svg.ladder text.tick', { hasText: /^idle / }).first();
    await first.waitFor({ timeout: TIMEOUT });
    const drawn = await page.evaluate(([a, b, c, d]) => {
      const tail = (f) => document.querySelector(`[data-testid="segment"][data-frame="${f}"] g.arrow line`).getBoundingClientRect();
      const text = [...document.querySelectorAll('svg.ladder text.tick')].find((t) => t.textContent.startsWith('idle'));
      const m = text.getBoundingClientRect();
      return { idle: tail(b).top - tail(a).top, busy: tail(d).top - tail(c).top, markTop: m.top, markBottom: m.bottom, above: tail(a).bottom, below: tail(b).top, text: text.textContent };
    }, [before, after, packets[0].frame, packets[1].frame]);
    if (!drawn.text.startsWith(`idle ${pauses[0][2].toFixed(1)}`)) throw new Error(`the first idle mark says "${drawn.text}", the pause is ${pauses[0][2].toFixed(3)} s`);
    if (!(drawn.markTop >= drawn.above - 1 && drawn.markBottom <= drawn.below + 1)) throw new Error(`the first idle mark is not between frames ${before} and ${after}: ${JSON.stringify(drawn)}`);
    if (!(drawn.idle >= 1.5 * drawn.busy)) throw new Error(`a ${pauses[0][2].toFixed(1)} s pause is drawn ${drawn.idle.toFixed(0)} px tall, a ${((packets[1].time_relative - packets[0].time_relative) * 1e3).toFixed(1)} ms gap ${drawn.busy.toFixed(0)} px`);
    await first.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'by-time-idle-1366x768.png') });
    for (const v of await axeViolations(page)) throw new Error(`by capture time: ${v}`);
    // On a phone the compact columns have no time column: the same marks stand between the
    // lanes, in the pause's room (#24: the room was there, with no word in it), 11 px or more,
    // over no other text.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.querySelector('svg.ladder')?.viewBox.baseVal.width === 348, null, { timeout: TIMEOUT });
    const phoneMark = page.locator('svg.ladder text.tick', { hasText: /^idle / }).first();
    await phoneMark.waitFor({ timeout: TIMEOUT });
    await phoneMark.scrollIntoViewIfNeeded();
    const phone = await page.evaluate(([a, b]) => {
      const svg = document.querySelector('svg.ladder');
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const mark = [...svg.querySelectorAll('text.tick')].find((t) => t.textContent.startsWith('idle'));
      const m = mark.getBoundingClientRect();
      const lanes = [...svg.querySelectorAll('.lifeline line, line.lifeline')].map((l) => l.getBoundingClientRect().left).sort((x, y) => x - y);
      const line = (f) => document.querySelector(`[data-testid="segment"][data-frame="${f}"] g.arrow line`).getBoundingClientRect();
      const hit = (r) => r.width > 0 && r.left < m.right - 0.5 && m.left < r.right - 0.5 && r.top < m.bottom - 0.5 && m.top < r.bottom - 0.5;
      const over = [...svg.querySelectorAll('text')].filter((t) => t !== mark && getComputedStyle(t).opacity !== '0' && hit(t.getBoundingClientRect())).map((t) => t.textContent);
      return { text: mark.textContent, px: parseFloat(getComputedStyle(mark).fontSize) * scale, left: m.left, right: m.right, top: m.top, bottom: m.bottom, lanes, above: line(a).bottom, below: line(b).top, over };
    }, [before, after]);
    if (!phone.text.startsWith(`idle ${pauses[0][2].toFixed(1)}`)) throw new Error(`390×844: the first idle mark says "${phone.text}"`);
    if (!(phone.px >= 11)) throw new Error(`390×844: the idle mark's text is ${phone.px.toFixed(1)} px`);
    if (phone.lanes.length < 2 || !(phone.left > phone.lanes[0] && phone.right < phone.lanes[phone.lanes.length - 1])) throw new Error(`390×844: the idle mark is not between the lanes: ${JSON.stringify(phone)}`);
    if (!(phone.top >= phone.above - 1 && phone.bottom <= phone.below + 1)) throw new Error(`390×844: the idle mark is not between frames ${before} and ${after}: ${JSON.stringify(phone)}`);
    if (phone.over.length) throw new Error(`390×844: the idle mark is drawn over ${phone.over.join(' | ')}`);
    await page.screenshot({ path: path.join(outDir, 'by-time-idle-390x844.png') });
    for (const v of await axeViolations(page)) throw new Error(`by capture time, 390×844: ${v}`);
    console.log(`     390×844: "${phone.text}" between the lanes at ${phone.px.toFixed(1)} px, between frames ${before} and ${after}`);
    console.log(`     ${marks.length} idle pauses marked (${marks.slice(0, 3).join(' s, ')} s …); a ${pauses[0][2].toFixed(1)} s pause ${drawn.idle.toFixed(0)} px tall, a ${((packets[1].time_relative - packets[0].time_relative) * 1e3).toFixed(1)} ms gap ${drawn.busy.toFixed(0)} px`);
  });
  registerReadingChecks({ check, base, root, outDir, TIMEOUT, axeViolations });
  registerReadingGaps({ check, base, root, corpus, outDir, TIMEOUT, axeViolations });
  registerMergeChecks({ check, base, root, outDir, TIMEOUT, axeViolations, CLI });
  closingCheck('the page made no request outside its own origin', async () => {
    if (foreign.length) throw new Error(`foreign requests: ${foreign.join(', ')}`);
    if (!requests.every((u) => u.startsWith(SUB_PATH))) throw new Error(`requests outside the sub-path: ${requests.filter((u) => !u.startsWith(SUB_PATH)).join(', ')}`);
    // Only the page's own static files: every request names a file of dist/ (no capture data
    // in a URL, no API of any kind).
    const notStatic = requests.filter((u) => {
      const rel = decodeURIComponent(new URL(u, 'http://x').pathname.slice(SUB_PATH.length)) || 'index.html';
      return !fs.existsSync(path.join(dist, rel.endsWith('/') ? `${rel}index.html` : rel));
    });
    if (notStatic.length) throw new Error(`requests for something other than the site's files: ${[...new Set(notStatic)].slice(0, 10).join(', ')}`);
    console.log(`     ${requests.length} requests, all for files of dist/`);
  });
  closingCheck('no uncaught error or panic in the page', async () => {
    if (consoleErrors.length) throw new Error(consoleErrors.join('\n'));
  });

  if (process.env.E2E_LIST) {
    registered.forEach(({ name }, i) => console.log(`${i + 1}\t${name}`));
    await browser.close();
    server.close();
    return;
  }
  let order = registered.filter(({ name }, i) => (!ONLY || ONLY.test(name)) && (ONLY_INDEX === null || ONLY_INDEX === i + 1));
  if (!order.length) throw new Error('no check matches E2E_ONLY / E2E_CHECK');
  if (SHUFFLE !== undefined) {
    order = shuffled(order, SHUFFLE);
    console.log(`order shuffled with E2E_SHUFFLE=${SHUFFLE}: ${order.map(({ name }) => registered.findIndex((c) => c.name === name) + 1).join(' ')}`);
  }
  for (const [i, c] of order.entries()) await runCheck(browser, port, c, i + 1);
  for (const { name, fn } of closing) {
    try { await fn(); passed++; console.log(`ok   ${name}`); }
    catch (e) { failed++; console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`); }
  }

  await browser.close();
  server.close();
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(e); console.log(`e2e: ${passed} passed, ${failed + 1} failed`); process.exit(1); });
