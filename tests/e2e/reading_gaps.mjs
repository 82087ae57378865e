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
  check('fit on a connection too long to draw whole at 11 px: the width fits, one line says which rows are on screen, and it follows the scroll', async (page) => {
    const file = 'ndpi_ocsp.pcapng';
    const stream = 1; // 50 segments: more rows than any pane holds at 11 px
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.goto(base);
      await page.locator('[data-testid="file-input"]').setInputFiles(path.join(corpus, file));
      const row = page.locator(`[data-testid="connection"][data-stream="${stream}"]`);
      // (The first connection opens by itself; on a phone the list then folds.)
      await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
      await page.waitForTimeout(200);
      if (!(await row.isVisible())) await page.locator('[data-testid="list-toggle"]').click();
      await row.click();
      await page.locator(`.diagram-pane[data-stream="${stream}"] [data-testid="segment"]`).first().waitFor({ timeout: TIMEOUT });
      await page.locator('[data-testid="zoom-fit"]').click();
      const note = page.locator('[data-testid="fit-note"]');
      await note.waitFor({ timeout: TIMEOUT });
      // What the note says against the rows wholly on screen (arrows and collapsed runs).
      const read = () => page.evaluate(() => {
        const scroller = document.querySelector('.diagram-scroll');
        const pane = scroller.getBoundingClientRect();
        const view = { top: Math.max(0, pane.top) + 22, bottom: Math.min(innerHeight, pane.top + scroller.clientHeight) };
        const rows = [...document.querySelectorAll('[data-testid="segment"]')].map((g) => {
          const r = (g.querySelector('g.arrow line') ?? g.querySelector('rect')).getBoundingClientRect();
          return [r.top, r.bottom];
        }).sort((a, b) => a[0] - b[0]);
        const n = document.querySelector('[data-testid="fit-note"]');
        const nr = n.getBoundingClientRect();
        const zoom = document.querySelector('.zoom-bar').getBoundingClientRect();
        return { text: n.textContent, lines: Math.round(nr.height / parseFloat(getComputedStyle(n).lineHeight || '16')), note: [nr.top, nr.bottom, nr.left, nr.right], zoom: [zoom.top, zoom.bottom],
          inside: rows.map((r, i) => [i + 1, r]).filter(([, [t, b]]) => t >= view.top - 1 && b <= view.bottom + 1).map(([i]) => i),
          sideways: scroller.scrollWidth - scroller.clientWidth, total: rows.length, page: [innerWidth, innerHeight] };
      });
      // (Read once the page has settled: two frames after "fit" the note is final.)
      await page.waitForTimeout(300);
      const first = await read();
      const m = /^rows (\d+)–(\d+) of (\d+) fit at the smallest readable size \(11 px\); scroll for the rest$/.exec(first.text);
      if (!m) throw new Error(`${width}×${height}: the note says "${first.text}"`);
      const [a, b, n] = m.slice(1).map(Number);
      // (The drawing holds the rows near the screen only: the total is the note's own.)
      if (a !== 1 || Math.abs(b - first.inside[first.inside.length - 1]) > 0 || first.inside[0] !== 1 || !(n > b)) throw new Error(`${width}×${height}: "${first.text}", rows ${first.inside.join(',')} wholly on screen`);
      if (first.sideways > 1) throw new Error(`${width}×${height}: fit scrolls ${first.sideways} px sideways`);
      if (!(first.note[0] >= 0 && first.note[1] <= height && first.note[2] >= 0 && first.note[3] <= width)) throw new Error(`${width}×${height}: the note is off screen: ${JSON.stringify(first.note)}`);
      if (!(first.zoom[0] >= -1 && first.zoom[1] <= height)) throw new Error(`${width}×${height}: the zoom buttons are off screen: ${JSON.stringify(first.zoom)}`);
      if (width >= 640 && first.note[1] - first.note[0] > 26) throw new Error(`${width}×${height}: the note takes ${first.note[1] - first.note[0]} px (more than one line)`);
      const smallest = await smallestLadderText(page);
      if (!(smallest >= 11)) throw new Error(`${width}×${height}: the smallest text is ${smallest.toFixed(1)} px`);
      await page.screenshot({ path: path.join(outDir, `fit-long-${width}x${height}.png`) });
      // Scrolled half a screen down: the note follows.
      await page.locator('.diagram-scroll').evaluate((el) => { el.scrollTop += el.clientHeight / 2; el.dispatchEvent(new Event('scroll')); });
      await page.waitForFunction((t) => document.querySelector('[data-testid="fit-note"]').textContent !== t, first.text, { timeout: TIMEOUT });
      const later = await read();
      const k = /^rows (\d+)–(\d+) of (\d+)/.exec(later.text).slice(1).map(Number);
      if (!(k[0] > 1 && k[1] > b && k[2] === n) || k[0] !== later.inside[0] || k[1] !== later.inside[later.inside.length - 1]) throw new Error(`${width}×${height}: scrolled, the note says "${later.text}" (was "${first.text}"), rows ${later.inside.join(',')} wholly on screen`);
      const axe = await axeViolations(page);
      if (axe.length) throw new Error(`axe, fit on a long connection, ${width}×${height}: ${axe.join('; ')}`);
      console.log(`     ${width}×${height}: "${first.text}" (rows ${first.inside[0]}–${first.inside[first.inside.length - 1]} wholly on screen), scrolled: "${later.text.split(' fit')[0]}"; text ≥ ${smallest.toFixed(1)} px, no sideways scroll`);
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
