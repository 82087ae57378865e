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

export function registerReadingChecks({ check, base, outDir, TIMEOUT, axeViolations }) {
  check('fit: the landing sample whole in the pane at 1366×768 and 1920×1080, its last frame and its phase column in view, text ≥ 11 px', async (page) => {
    for (const [width, height] of [[1366, 768], [1920, 1080]]) {
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
        const view = { left: pane.left, top: pane.top + 22, right: pane.left + scroller.clientWidth, bottom: pane.top + scroller.clientHeight };
        const last = box(document.querySelector('[data-testid="segment"][data-frame="10"]'));
        const phases = [...document.querySelectorAll('[data-testid="phase"]')].map(box);
        const states = [...document.querySelectorAll('[data-testid="state"]')].map(box);
        return { view, last, phases, states, scroll: [scroller.scrollWidth - scroller.clientWidth, scroller.scrollHeight - scroller.clientHeight], page: [innerWidth, innerHeight] };
      });
      const inside = (b) => b.left >= fit.view.left - 1 && b.right <= fit.view.right + 1 && b.top >= fit.view.top - 1 && b.bottom <= fit.view.bottom + 1;
      if (!inside(fit.last)) throw new Error(`${width}×${height} fit: frame 10 is not in the pane: ${JSON.stringify(fit)}`);
      if (fit.phases.length < 3 || !fit.phases.every(inside)) throw new Error(`${width}×${height} fit: the phase column is not in the pane: ${JSON.stringify(fit)}`);
      if (!fit.states.every(inside)) throw new Error(`${width}×${height} fit: a state is not in the pane: ${JSON.stringify(fit)}`);
      if (fit.scroll[0] > 1 || fit.scroll[1] > 1) throw new Error(`${width}×${height} fit: the pane still scrolls ${fit.scroll.join(' × ')} px`);
      const smallest = await smallestLadderText(page);
      if (!(smallest >= 11)) throw new Error(`${width}×${height} fit: the smallest text is ${smallest.toFixed(1)} px`);
      await page.screenshot({ path: path.join(outDir, `fit-${width}x${height}.png`) });
      const axe = await axeViolations(page);
      if (axe.length) throw new Error(`axe with "fit" at ${width}×${height}: ${axe.join('; ')}`);
      console.log(`     ${width}×${height} fit: frames 1–10, ${fit.phases.length} phases and ${fit.states.length} states in a ${(fit.view.right - fit.view.left).toFixed(0)}×${(fit.view.bottom - fit.view.top + 22).toFixed(0)} px pane, no scrolling, text ≥ ${smallest.toFixed(1)} px`);
    }
    // 100 % brings the bars back (the legend, the time bar, the view's toggles), and so does
    // "fit" pressed again.
    for (const leave of [() => page.locator('.zoom-bar button', { hasText: '100 %' }).click(), () => page.locator('[data-testid="zoom-fit"]').click()]) {
      await leave();
      for (const sel of ['.legend', '.time-bar', '[data-testid="toggle-absolute"]']) {
        if (!(await page.locator(sel).first().isVisible())) throw new Error(`after leaving "fit", ${sel} is not shown again`);
      }
      await page.locator('[data-testid="zoom-fit"]').click();
      await page.locator('.diagram-view.fit-whole').waitFor({ timeout: TIMEOUT });
    }
  });
}
