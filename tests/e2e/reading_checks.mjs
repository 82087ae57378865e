// Checks of issue #24's reading comfort that came after the first pass: "fit" fitting the
// diagram whole, the resizable split under the ladder, and the PNG of a frame range.
// Registered by e2e.mjs (`registerReadingChecks`), run like every other check.
import fs from 'node:fs';
import path from 'node:path';

/// Every text of the ladder, its drawn size in CSS px (the smallest).
const smallestLadderText = (page) => page.locator('svg.ladder').evaluate((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  let min = Infinity;
  for (const t of svg.querySelectorAll('text')) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
  return min;
});

export function registerReadingChecks({ check, base, root, outDir, TIMEOUT, axeViolations }) {
  check('fit: the landing sample whole in the pane at 1366×768, 1920×1080 and 390×844, its last frame and its phase column in view, text ≥ 11 px', async (page) => {
    for (const [width, height] of [[1366, 768], [1920, 1080], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.goto(base);
      await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
      await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
      await page.locator('[data-testid="zoom-fit"]').click();
      await page.locator('.diagram-view.fit-whole').waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(200);
      const fit = await page.evaluate(() => {
        const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
        const scroller = document.querySelector('.diagram-scroll');
        const pane = box(scroller);
        // The pane's visible box (its scroll bars left out), less the sticky lane names.
        // (…and the window's: on a phone the page scrolls the diagram to the top of the screen.)
        const view = { left: Math.max(0, pane.left), top: Math.max(0, pane.top) + 22, right: Math.min(innerWidth, pane.left + scroller.clientWidth), bottom: Math.min(innerHeight, pane.top + scroller.clientHeight) };
        const last = box(document.querySelector('[data-testid="segment"][data-frame="10"]'));
        const phases = [...document.querySelectorAll('[data-testid="phase"]')].map(box);
        const states = [...document.querySelectorAll('[data-testid="state"]')].map(box);
        return { view, last, phases, states, scroll: [scroller.scrollWidth - scroller.clientWidth, scroller.scrollHeight - scroller.clientHeight], page: [innerWidth, innerHeight] };
      });
      const inside = (b) => b.left >= fit.view.left - 1 && b.right <= fit.view.right + 1 && b.top >= fit.view.top - 1 && b.bottom <= fit.view.bottom + 1;
      if (!inside(fit.last)) throw new Error(`${width}×${height} fit: frame 10 is not in the pane: ${JSON.stringify(fit)}`);
      // (A phone's compact columns list the phases under the diagram, not beside it.)
      if ((width >= 640 && fit.phases.length < 3) || !fit.phases.every(inside)) throw new Error(`${width}×${height} fit: the phase column is not in the pane: ${JSON.stringify(fit)}`);
      if (!fit.states.every(inside)) throw new Error(`${width}×${height} fit: a state is not in the pane: ${JSON.stringify(fit)}`);
      if (fit.scroll[0] > 1 || fit.scroll[1] > 1) throw new Error(`${width}×${height} fit: the pane still scrolls ${fit.scroll.join(' × ')} px`);
      const smallest = await smallestLadderText(page);
      if (!(smallest >= 11)) throw new Error(`${width}×${height} fit: the smallest text is ${smallest.toFixed(1)} px`);
      // The zoom buttons stay on screen (#24: on a phone they were a scroll up), over no arrow
      // or state; and a connection that fits whole gets no "rows … of …" note.
      const buttons = await page.evaluate(() => {
        const bar = document.querySelector('.zoom-bar').getBoundingClientRect();
        const hit = (r) => r.width > 0 && r.left < bar.right && bar.left < r.right && r.top < bar.bottom && bar.top < r.bottom;
        const under = [...document.querySelectorAll('svg.ladder text.label, svg.ladder [data-testid="state"]')].filter((t) => hit(t.getBoundingClientRect())).map((t) => t.textContent);
        return { top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right, under, note: document.querySelectorAll('[data-testid="fit-note"]').length };
      });
      if (!(buttons.top >= -1 && buttons.bottom <= height && buttons.left >= 0 && buttons.right <= width)) throw new Error(`${width}×${height} fit: the zoom buttons are off screen: ${JSON.stringify(buttons)}`);
      if (buttons.under.length) throw new Error(`${width}×${height} fit: the zoom buttons cover ${buttons.under.join(' | ')}`);
      if (buttons.note) throw new Error(`${width}×${height} fit: a "rows … of …" note for a diagram drawn whole`);
      await page.screenshot({ path: path.join(outDir, `fit-${width}x${height}.png`) });
      const axe = await axeViolations(page);
      if (axe.length) throw new Error(`axe with "fit" at ${width}×${height}: ${axe.join('; ')}`);
      console.log(`     ${width}×${height} fit: frames 1–10, ${fit.phases.length} phases and ${fit.states.length} states in a ${(fit.view.right - fit.view.left).toFixed(0)}×${(fit.view.bottom - fit.view.top + 22).toFixed(0)} px pane, no scrolling, text ≥ ${smallest.toFixed(1)} px`);
    }
    // 100 % brings the bars back (the legend, the time bar, the view's toggles), and so does
    // "fit" pressed again.
    await page.setViewportSize({ width: 1366, height: 768 });
    for (const leave of [() => page.locator('.zoom-bar button', { hasText: '100 %' }).click(), () => page.locator('[data-testid="zoom-fit"]').click()]) {
      await leave();
      for (const sel of ['.legend', '.time-bar', '[data-testid="toggle-absolute"]']) {
        if (!(await page.locator(sel).first().isVisible())) throw new Error(`after leaving "fit", ${sel} is not shown again`);
      }
      await page.locator('[data-testid="zoom-fit"]').click();
      await page.locator('.diagram-view.fit-whole').waitFor({ timeout: TIMEOUT });
    }
  });
  check('graphs and follow stream at 1366×768: the ladder keeps half the pane, and a separator (drag, ↑ / ↓) resizes the split', async (page) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles(path.join(root, 'tests/captures/lossy/drop_mid_at_sender.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    if (await page.locator('[data-testid="tools-splitter"]').count()) throw new Error('a separator with the tools folded');
    await page.locator('[data-testid="tool-graph"]').click();
    await page.locator('[data-testid="graph"]').waitFor({ timeout: TIMEOUT });
    const sep = page.locator('[data-testid="tools-splitter"]');
    const attrs = await sep.evaluate((e) => ({ role: e.getAttribute('role'), orientation: e.getAttribute('aria-orientation'), tabindex: e.tabIndex, now: Number(e.getAttribute('aria-valuenow')), min: Number(e.getAttribute('aria-valuemin')), max: Number(e.getAttribute('aria-valuemax')) }));
    if (attrs.role !== 'separator' || attrs.orientation !== 'horizontal' || attrs.tabindex !== 0 || !(attrs.now >= attrs.min && attrs.now <= attrs.max)) throw new Error(`the separator: ${JSON.stringify(attrs)}`);
    const measure = () => page.evaluate(() => {
      const h = (sel) => document.querySelector(sel)?.getBoundingClientRect().height ?? 0;
      const sep = document.querySelector('[data-testid="tools-splitter"]');
      return { pane: h('.diagram-pane'), ladder: h('.diagram-view'), tools: h('[data-testid="stream-tools"]'), plot: h('.graph-svg'), now: Number(sep.getAttribute('aria-valuenow')), sep: sep.getBoundingClientRect() };
    });
    const first = await measure();
    // From the first render, before the separator is moved, aria-valuenow is the tools' height
    // as drawn (#24: it was the style sheet's maximum, 37 % of the window).
    if (Math.abs(first.now - first.tools) > 1) throw new Error(`aria-valuenow ${first.now} for tools ${first.tools} px high, before any move`);
    if (!(first.ladder >= first.pane / 2)) throw new Error(`by default the ladder is ${first.ladder.toFixed(0)} px of the pane's ${first.pane.toFixed(0)}`);
    // The separator lies between the ladder and the tools.
    const order = await page.evaluate(() => {
      const [l, s, t] = ['.diagram-and-panel', '[data-testid="tools-splitter"]', '[data-testid="stream-tools"]'].map((q) => document.querySelector(q).getBoundingClientRect());
      return l.bottom <= s.top + 1 && s.bottom <= t.top + 1;
    });
    if (!order) throw new Error('the separator is not between the ladder and the tools');
    await page.screenshot({ path: path.join(outDir, 'split-default-1366x768.png') });
    // ↑ twice: the tools 80 px taller, the plot with them, the ladder lower; aria-valuenow says it.
    await sep.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForTimeout(300);
    const up = await measure();
    if (Math.abs(up.tools - (first.tools + 80)) > 2) throw new Error(`↑ ↑: the tools went from ${first.tools} to ${up.tools} px`);
    if (Math.abs(up.now - up.tools) > 1) throw new Error(`↑ ↑: aria-valuenow ${up.now} for tools ${up.tools} px high`);
    if (!(up.plot > first.plot + 40)) throw new Error(`↑ ↑: the plot went from ${first.plot} to ${up.plot} px`);
    if (!(up.ladder < first.ladder - 60)) throw new Error(`↑ ↑: the ladder went from ${first.ladder} to ${up.ladder} px`);
    await page.screenshot({ path: path.join(outDir, 'split-taller-tools-1366x768.png') });
    await page.keyboard.press('ArrowDown');
    const down = await measure();
    if (Math.abs(down.tools - (up.tools - 40)) > 2) throw new Error(`↓: the tools went from ${up.tools} to ${down.tools} px`);
    // A drag 150 px down: the tools 150 px lower, the ladder taller.
    const s = down.sep;
    await page.mouse.move(s.left + 200, s.top + 4);
    await page.mouse.down();
    await page.mouse.move(s.left + 200, s.top + 154, { steps: 5 });
    await page.mouse.up();
    const dragged = await measure();
    if (Math.abs(dragged.tools - (down.tools - 150)) > 4) throw new Error(`a drag 150 px down: the tools went from ${down.tools} to ${dragged.tools} px`);
    if (!(dragged.ladder > down.ladder + 140)) throw new Error(`a drag 150 px down: the ladder went from ${down.ladder} to ${dragged.ladder} px`);
    // Follow stream keeps the height chosen.
    await page.locator('[data-testid="tool-follow"]').click();
    await page.locator('[data-testid="follow"]').first().waitFor({ timeout: TIMEOUT }).catch(() => {});
    const follow = await measure();
    if (Math.abs(follow.tools - dragged.tools) > 2) throw new Error(`Follow stream: the tools ${follow.tools} px, chosen ${dragged.tools}`);
    await page.screenshot({ path: path.join(outDir, 'split-follow-1366x768.png') });
    const axe = await axeViolations(page);
    if (axe.length) throw new Error(`axe with the separator: ${axe.join('; ')}`);
    console.log(`     1366×768: ladder ${first.ladder.toFixed(0)} of ${first.pane.toFixed(0)} px (${Math.round((100 * first.ladder) / first.pane)} %) by default; ↑ ↑ tools ${first.tools.toFixed(0)} → ${up.tools.toFixed(0)} px (plot ${first.plot.toFixed(0)} → ${up.plot.toFixed(0)}), ↓ ${down.tools.toFixed(0)}, dragged 150 px down ${dragged.tools.toFixed(0)} (ladder ${dragged.ladder.toFixed(0)} px); Follow keeps it`);
  });
  check('PNG of a part: frames A to B, and the rows on screen, each with the top row\'s label whole', async (page) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
    // Diagram units of what the screen draws: frame 4's label (its box), frames 3 and 7's lines.
    const units = await page.evaluate(() => {
      const seg = (f) => document.querySelector(`[data-testid="segment"][data-frame="${f}"]`);
      const line = (f) => { const l = seg(f).querySelector('line'); return [Number(l.getAttribute('y1')), Number(l.getAttribute('y2'))]; };
      const label = (f) => { const ls = [...seg(f).querySelectorAll('text.label')].map((t) => t.getBBox()); return { top: Math.min(...ls.map((b) => b.y)), baseline: Number(seg(f).querySelector('text.label').getAttribute('y')) }; };
      return { label4: label(4), label5: label(5), line3: line(3), line7: line(7), line8: line(8), width: document.querySelector('svg.ladder').viewBox.baseVal.width };
    });
    const save = async (button, name) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${button}"]`).click()]);
      const file = path.join(outDir, name);
      await download.saveAs(file);
      const bytes = fs.readFileSync(file);
      if (bytes.subarray(1, 4).toString() !== 'PNG') throw new Error(`${name} is not a PNG`);
      return { name: download.suggestedFilename(), w: bytes.readUInt32BE(16), h: bytes.readUInt32BE(20) };
    };
    await page.locator('[data-testid="png-from"]').fill('4');
    await page.locator('[data-testid="png-to"]').fill('7');
    const range = await save('export-png-frames', 'png-frames-4-7.png');
    if (!range.name.endsWith('-frames-4-7.png')) throw new Error(`the frame range PNG is named ${range.name}`);
    // Twice the size; the lane names' band (52 units) over frames 4–7: frame 4's label whole,
    // frame 7's arrow whole, nothing of frame 3's arrow nor frame 8's label.
    const scale = range.w / units.width;
    const rows = range.h / scale - 52;
    const need = Math.max(...units.line7) - units.label4.top;
    const room = Math.min(units.label4.top - Math.max(...units.line3), units.label5.top);
    if (Math.abs(scale - 2) > 0.01 || rows < need - 1 || rows > need + 12) throw new Error(`frames 4–7: a ${range.w}×${range.h} px PNG holds ${rows.toFixed(1)} units of rows; frame 4's label to frame 7's arrow is ${need.toFixed(1)} (${JSON.stringify(units)})`);
    const said = await page.locator('[data-testid="export-message"]').textContent();
    if (!said.includes('frames')) throw new Error(`after the frame range PNG: ${said}`);
    // Frames that are not in the connection: no file, a message.
    await page.locator('[data-testid="png-from"]').fill('400');
    await page.locator('[data-testid="png-to"]').fill('500');
    await page.locator('[data-testid="export-png-frames"]').click();
    const none = await page.locator('[data-testid="export-message"]').textContent();
    if (!none.startsWith('No PNG: the diagram has no frame')) throw new Error(`frames 400–500: ${none}`);
    // The rows on screen with the screen's top edge through frame 5's label: the PNG starts
    // above that label (the file is named by the rows it holds, in diagram units).
    await page.locator('.diagram-scroll').evaluate((el, y) => { el.scrollTop = y; el.dispatchEvent(new Event('scroll')); }, Math.round(units.label5.baseline - 4 - 52));
    await page.waitForTimeout(200);
    const onScreen = await save('export-png-rows', 'png-rows-cut-label.png');
    const m = /-rows-(-?\d+)-(-?\d+)\.png$/.exec(onScreen.name);
    if (!m || Number(m[1]) > units.label5.top + 0.5) throw new Error(`the rows on screen: ${onScreen.name}, frame 5's label starts at ${units.label5.top.toFixed(1)} (${onScreen.w}×${onScreen.h} px)`);
    await page.locator('[data-testid="view-menu"]').isVisible();
    const axe = await axeViolations(page);
    if (axe.length) throw new Error(`axe with the PNG part's boxes: ${axe.join('; ')}`);
    console.log(`     frames 4–7: ${range.w}×${range.h} px (${rows.toFixed(0)} units of rows for ${need.toFixed(0)} from frame 4's label to frame 7's arrow, ${room.toFixed(0)} to spare above); rows on screen cut through frame 5's label at ${(units.label5.baseline - 4).toFixed(0)}: ${onScreen.name} (${onScreen.w}×${onScreen.h} px)`);
  });
}
