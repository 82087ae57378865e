// Issue #26 on the page: two captures of one connection, chosen together, lined up as one
// ladder with both capture points, checked against `tcp-ladder merge` and the relay's log.
// Registered by e2e.mjs (`registerMergeChecks`), run like every other check.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export function registerMergeChecks({ check, base, root, outDir, TIMEOUT, axeViolations, CLI }) {
  const lossy = path.join(root, 'tests/captures/lossy');
  const a = path.join(lossy, 'drop_mid_at_sender.pcap');
  const b = path.join(lossy, 'drop_mid_at_receiver.pcap');

  check('two capture points: two files chosen together make one ladder with both points, the frame the relay dropped lost between them, the offset as merge says, and an offset set by hand kept in the link', async (page, context) => {
    const merged = JSON.parse(execFileSync(CLI, ['merge', a, b, '--format', 'json']).toString());
    const c = merged.connections[0];
    // The relay's own log: which frame of the sender's capture it dropped.
    const dropped = fs.readFileSync(path.join(lossy, 'truth/drop_mid.relay.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.action === 'drop');
    if (dropped.length !== 1 || c.lost_between.length !== 1) throw new Error(`the relay dropped ${dropped.length} frame(s), merge says ${c.lost_between.length} lost between`);
    if (dropped[0].seq !== c.lost_between[0].seq || dropped[0].len !== c.lost_between[0].len) throw new Error(`the relay dropped seq ${dropped[0].seq}, merge says ${c.lost_between[0].seq}`);
    const lostFrame = c.lost_between[0].frame;
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles([a, b]);
    const view = page.locator('[data-testid="merged"]');
    await view.waitFor({ timeout: TIMEOUT });
    // Two dashed capture-point lines between the client's and the server's lifelines.
    const points = await page.locator('[data-testid="merged-ladder"] .capture-point').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-head')));
    if (points.join(',') !== 'A,B') throw new Error(`capture-point lines: ${points}`);
    const dashed = await page.locator('[data-testid="merged-ladder"] .capture-point line').first().evaluate((l) => getComputedStyle(l).strokeDasharray);
    if (!dashed || dashed === 'none') throw new Error('the capture-point line is not dashed');
    // The frame lost between the points, at merge's frame, with its words and its cross.
    const lost = page.locator(`[data-testid="merged-ladder"] [data-fate="lost_between"][data-frame-a="${lostFrame}"]`);
    expectCount(await page.locator('[data-testid="merged-ladder"] [data-fate="lost_between"]').count(), 1, 'rows lost between the points');
    if (!(await lost.textContent()).includes('lost between the capture points')) throw new Error('the lost row does not say so');
    expectCount(await lost.locator('path.lost').count(), 1, 'crosses on the lost row');
    // Every other row matched, with a delay between the points written beside it.
    expectCount(await page.locator('[data-testid="merged-ladder"] [data-fate="matched"]').count(), c.segments_matched, 'matched rows');
    // The offset and its bound, as `tcp-ladder merge` gives them.
    const title = await page.locator('[data-testid="merged-title"]').textContent();
    const offset = `${c.offset_ns >= 0 ? '+' : '-'}${(Math.abs(c.offset_ns) / 1e6).toFixed(3)} ms ± ${(c.uncertainty_ns / 1e6).toFixed(3)} ms`;
    if (!title.includes(offset)) throw new Error(`the title "${title}" does not give merge's offset ${offset}`);
    const field = await page.locator('[data-testid="merge-offset"]').inputValue();
    if (Math.abs(Number(field) * 1e6 - c.offset_ns) > 1000) throw new Error(`the offset box holds ${field} ms, merge says ${c.offset_ns} ns`);
    // The delay plot: both ways, and the lost segment's tick.
    const ways = await page.locator('[data-testid="merged-delays"] path.way-dots').count();
    expectCount(ways, 2, 'ways in the delay plot');
    expectCount(await page.locator('[data-testid="merged-delays"] .lost-tick').count(), 1, 'lost ticks in the delay plot');
    for (const v of await axeViolations(page)) throw new Error(`the merged view: ${v}`);
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(outDir, `merge-two-points-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // An offset set by hand: the delays are the ones it gives (merge --offset-ms says the same),
    // and the link keeps it.
    const byHand = JSON.parse(execFileSync(CLI, ['merge', a, b, '--format', 'json', '--offset-ms', '-2.5']).toString()).connections[0];
    await page.locator('[data-testid="merge-offset"]').fill('-2.5');
    await page.locator('[data-testid="merge-offset"]').press('Enter');
    await page.locator('[data-testid="merged-title"]', { hasText: '-2.500 ms (set by hand)' }).waitFor({ timeout: TIMEOUT });
    if (!page.url().includes('offset-ns=-2500000') || !page.url().includes('file2=drop_mid_at_receiver.pcap')) throw new Error(`the link: ${page.url()}`);
    const firstDelay = await page.locator('[data-testid="merged-ladder"] [data-fate="matched"] .delay').first().textContent();
    const lines = (await page.locator('[data-testid="merge-lines"]').textContent());
    const median = `median ${byHand.path_ms.a_to_b.median.toFixed(3)} ms`;
    if (!lines.includes(median)) throw new Error(`the words with the offset set by hand lack merge --offset-ms's ${median}: ${lines}`);
    if (!/ms between the points$/.test(firstDelay)) throw new Error(`a row's delay: ${firstDelay}`);
    // The link opened again with both files: the offset comes back.
    const link = page.url();
    const again = await context.newPage();
    await again.goto(link);
    await again.locator('[data-testid="notice"]', { hasText: 'two captures lined up' }).waitFor({ timeout: TIMEOUT });
    await again.locator('[data-testid="file-input"]').setInputFiles([a, b]);
    await again.locator('[data-testid="merged-title"]', { hasText: '-2.500 ms (set by hand)' }).waitFor({ timeout: TIMEOUT });
    await again.close();
  });

  check('two capture points: two files dropped on the page are merged; files with nothing in common say so, and a third file is refused with a reason', async (page) => {
    await page.goto(base);
    await page.locator('.app[data-worker-ready="true"]').waitFor({ timeout: TIMEOUT });
    // A real drop: a DataTransfer holding both files, dropped on the page.
    const files = [a, b].map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f).toString('base64') }));
    await page.evaluate((files) => {
      const dt = new DataTransfer();
      for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.bytes), (c) => c.charCodeAt(0))], f.name));
      document.querySelector('.app').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await page.locator('[data-testid="merged-ladder"] [data-fate="lost_between"][data-frame-a="128"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    if (!(await page.locator('.merge-files').textContent()).includes('A: drop_mid_at_sender.pcap')) throw new Error('the dropped files are not named A and B in order');
    await page.locator('[data-testid="file-input"]').setInputFiles([a, path.join(root, 'static/samples/seed_close_immediately.pcap')]);
    const notes = page.locator('[data-testid="merge-notes"]');
    await notes.waitFor({ timeout: TIMEOUT });
    if (!(await notes.textContent()).includes('no connection in common')) throw new Error(`notes: ${await notes.textContent()}`);
    expectCount(await page.locator('[data-testid="merged-ladder"]').count(), 0, 'ladders drawn for no pair');
    await page.locator('[data-testid="file-input"]').setInputFiles([a, b, a.replace('drop_mid', 'reorder')]);
    await page.getByText('open one capture, or two captures of the same connections').waitFor({ timeout: TIMEOUT });
  });
}

function expectCount(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}
