// The README's screenshots, taken from the release dist/ as a user meets the page: a bundled
// sample open with a segment explained (1366×768 and 390×844), the timing view, the lesson
// (step mode), the stream graphs and Follow stream. Run by scripts/make_docs_pictures.sh;
// each picture is its own browser context, so none depends on another.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist } from './static_server.mjs';
import { launchChromium } from './browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const docs = path.join(root, 'docs');
const TIMEOUT = 30_000;

async function openSample(page, base, file, frame) {
  await page.goto(base);
  await page.locator(`[data-testid="sample"][data-file="${file}"]`).click();
  await page.locator(`[data-testid="segment"][data-frame="${frame}"]`).click();
  await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
}

/// A repository capture opened through a deep link (`#c=N&f=F`), so the page restores the
/// connection and the selected segment as a reader following a shared link would see them.
async function openByLink(page, base, file, stream, frame) {
  await page.goto(`${base}#c=${stream}&f=${frame}`);
  await page.locator('[data-testid="file-input"]').setInputFiles(path.join(root, file));
  await page.locator(`[data-testid="segment"].selected[data-frame="${frame}"]`).waitFor({ timeout: TIMEOUT });
  await page.locator('[data-testid="explanation"]').waitFor({ timeout: TIMEOUT });
  // The list holds one connection: hidden, so the diagram's brackets and band are in view.
  await page.locator('[data-testid="list-toggle"]').click();
  await page.locator(`[data-testid="segment"].selected[data-frame="${frame}"]`).scrollIntoViewIfNeeded();
}

/// Every text of the page and diagram is drawn: fonts and layout settled.
async function settled(page) {
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const pictures = [
  // The README's first picture: the page at a glance on a laptop.
  ['page-1366x768.png', [1366, 768], async (page, base) => {
    await openSample(page, base, 'seed_close_immediately.pcap', 9);
  }],
  ['page-390x844.png', [390, 844], async (page, base) => {
    await openSample(page, base, 'seed_close_immediately.pcap', 9);
    await page.locator('.diagram-pane').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }],
  ['timing-view-1366x768.png', [1366, 768], async (page, base) => {
    await openSample(page, base, 'crossing_fins_delayed_path.pcap', 9);
    await page.locator('[data-testid="view-timing"]').check();
    await page.locator('[data-testid="capture-point"]').waitFor({ timeout: TIMEOUT });
  }],
  ['lesson-1366x768.png', [1366, 768], async (page, base) => {
    await openSample(page, base, 'seed_close_immediately.pcap', 1);
    await page.locator('[data-testid="step-mode"]').click();
    for (let frame = 2; frame <= 8; frame++) {
      await page.locator('[data-testid="step-next"]').click();
      await page.waitForFunction((f) => document.querySelector('[data-testid="lesson"]')?.dataset.frame === String(f), frame, { timeout: TIMEOUT });
    }
  }],
  ['graph-tseq-1366.png', [1366, 768], async (page, base) => {
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles(path.join(root, 'tests/captures/delayed/bulk_middle.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-graph"]').click();
    await page.locator('[data-testid="graph"][data-kind="tseq"]').waitFor({ timeout: TIMEOUT });
    // A segment selected in both: the point on top at its centre, a third of the way along.
    const onTop = await page.locator('[data-testid="graph-point"]').evaluateAll((els) => els.filter((e) => {
      const r = e.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === e;
    }).map((e) => e.getAttribute('data-frame')));
    await page.locator(`[data-testid="graph-point"][data-frame="${onTop[Math.floor(onTop.length / 3)]}"]`).first().click();
    await page.locator('[data-testid="graph-selected"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    await page.locator('[data-testid="graph"]').scrollIntoViewIfNeeded();
  }],
  // README "Why was it slow?": a real loss recovery (one segment dropped by the relay, repaired
  // by a fast retransmit) and a receiver-limited transfer (zero window, then a small window),
  // each opened by a deep link to the segment that tells the story.
  ['why-slow-loss-1366x768.png', [1366, 768], async (page, base) => {
    await openByLink(page, base, 'tests/captures/lossy/drop_mid_at_sender.pcap', 0, 269);
  }],
  ['why-slow-receiver-limited-1366x768.png', [1366, 768], async (page, base) => {
    await openByLink(page, base, 'tests/captures/lossy/receiver_limited_at_sender.pcap', 0, 16);
  }],
  ['follow-1366.png', [1366, 768], async (page, base) => {
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles(path.join(root, 'tests/captures/public/zeek_http_get.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="follow-chunk"]').first().waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="follow-search"]').fill('content-length');
    await page.locator('[data-testid="follow-search"]').press('Enter');
    await page.locator('.follow-chunk.found').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="follow"]').scrollIntoViewIfNeeded();
  }],
  // Two capture points chosen together: a queue filling one way between them (the relay's
  // delay rising 15 → 215 ms client → server, 15 ms back), the delays over time above the ladder.
  ['merged-bloat-1366x768.png', [1366, 768], async (page, base) => {
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles(['bloat_at_client.pcap', 'bloat_at_server.pcap'].map((f) => path.join(root, 'tests/captures/twopoint', f)));
    await page.locator('[data-testid="merged-delays"]').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="merge-lines"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }],
];

async function main() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run trunk build --release first');
  const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
  const { server, port } = await serveDist(dist, '/');
  const base = `http://127.0.0.1:${port}/`;
  const browser = await launchChromium();
  try {
    for (const [name, [width, height], prepare] of pictures) {
      if (only && !only.test(name)) continue;
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light' });
      const page = await context.newPage();
      await prepare(page, base);
      await settled(page);
      await page.screenshot({ path: path.join(docs, name) });
      console.log(`wrote docs/${name}`);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
