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
  check('nothing selected: the panel says the connection in one line and how to read an arrow, and lists the phases only where the phase column is not on screen (scrolled off, or a phone\'s compact columns)', async (page) => {
    const read = () => page.evaluate(() => {
      const aside = document.querySelector('.segment-panel');
      const summary = document.querySelector('[data-testid="connection-summary"]');
      const pane = document.querySelector('.diagram-scroll');
      const p = pane.getBoundingClientRect();
      // Each phase's caption as the drawing holds it (its tooltip: the whole caption), and
      // whether the column is on screen (within the pane, sideways).
      const phases = [...document.querySelectorAll('[data-testid="phase"]')];
      const drawn = phases.map((g) => g.querySelector(':scope > title').textContent);
      const onScreen = phases.length > 0 && phases.every((g) => { const r = g.getBoundingClientRect(); return r.left >= p.left - 1 && r.right <= p.left + pane.clientWidth + 1; });
      const r = summary?.getBoundingClientRect();
      return { text: aside.textContent, summary: summary?.textContent, drawn, onScreen, listed: document.querySelectorAll('[data-testid="phase-caption"]').length,
        inView: r ? r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth : false };
    });
    const said = [];
    for (const [width, height, fit] of [[1366, 768, false], [1366, 768, true], [1920, 1080, false], [390, 844, false]]) {
      await page.setViewportSize({ width, height });
      await page.goto(base);
      await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
      await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
      if (fit) {
        await page.locator('[data-testid="zoom-fit"]').click();
        await page.locator('.diagram-view.fit-whole').waitFor({ timeout: TIMEOUT });
      }
      await page.waitForTimeout(300);
      const panel = await read();
      const where = `${width}×${height}${fit ? ' fit' : ''}`;
      if (!/^TCP connection #0: .+ → .+: 10 segments over [\d.]+ (ms|s)\.$/.test(panel.summary ?? '')) throw new Error(`${where}: the panel's one line: ${panel.summary}`);
      if (!panel.text.includes('Click an arrow')) throw new Error(`${where}: the panel does not say how to read an arrow: ${panel.text}`);
      if (width >= 640 && !panel.inView) throw new Error(`${where}: the panel's one line is not on the first screen`);
      if (width >= 640 && panel.drawn.length < 3) throw new Error(`${where}: ${panel.drawn.length} phases drawn`);
      const twice = panel.drawn.filter((c) => panel.text.includes(c));
      if (panel.onScreen) {
        // The column on screen: none of its words again in the panel.
        if (twice.length || panel.listed) throw new Error(`${where}: the panel repeats the phase column on screen: ${twice.join(' | ')}`);
      } else if (panel.listed < 3) {
        // Scrolled off (or none drawn): the panel lists the phases.
        throw new Error(`${where}: the phase column is not on screen and the panel lists ${panel.listed} phases`);
      }
      if (width === 1366) await page.screenshot({ path: path.join(outDir, `panel-nothing-selected-1366x768${fit ? '-fit' : ''}.png`) });
      const axe = await axeViolations(page);
      if (axe.length) throw new Error(`axe, nothing selected, ${where}: ${axe.join('; ')}`);
      said.push(`${where}: column ${panel.drawn.length ? (panel.onScreen ? 'on screen' : 'scrolled off') : 'none'}, ${panel.listed} phases in the panel`);
      if (width === 1366 && !fit) console.log(`     "${panel.summary}"`);
    }
    // At 1366×768, scrolled sideways to the column: the panel's list goes (it follows the column).
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
    await page.locator('.diagram-scroll').evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    await page.waitForTimeout(300);
    const scrolled = await read();
    if (!scrolled.onScreen || scrolled.listed) throw new Error(`1366×768 scrolled to the phase column: on screen ${scrolled.onScreen}, ${scrolled.listed} phases in the panel`);
    said.push('1366×768 scrolled right: column on screen, 0 in the panel');
    console.log(`     ${said.join('; ')}`);
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
  check('loss stands out on the page: the fast retransmit in its own style with its tag under it, SACK edges relative, every option of the SYN and of a SACK decoded', async (page) => {
    // A real loss, repaired by a fast retransmit (tests/captures/lossy/README.md): the client
    // resends frame 269 after three SACKs (frames 266–268).
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="file-input"]').setInputFiles(path.join(root, 'tests/captures/lossy/drop_mid_at_sender.pcap'));
    await page.locator('[data-testid="connection"]').first().click();
    await page.locator('[data-testid="segment"]').first().waitFor({ timeout: TIMEOUT });
    for (const frame of [1, 266, 269]) {
      await page.locator('[data-testid="jump-frame"]').fill(String(frame));
      await page.locator('[data-testid="jump-frame"]').press('Enter');
      await page.locator(`[data-testid="segment"][data-frame="${frame}"].selected`).waitFor({ timeout: TIMEOUT });
      await page.locator('.segment-panel h3', { hasText: `Frame ${frame}` }).waitFor({ timeout: TIMEOUT });
    }
    // The resent arrow: its own class, head and tail ring; a tag naming the kind, drawn under
    // its own arrow (nearer its line than any other arrow's), between the lanes.
    const resent = await page.evaluate(() => {
      const g = document.querySelector('[data-testid="segment"][data-frame="269"]');
      const line = g.querySelector('g.arrow line');
      const lr = line.getBoundingClientRect();
      const tags = [...g.querySelectorAll('text.tag')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      // Each arrow's line on screen; a tag's distance to it: from the tag's middle, straight up
      // or down to the line where it passes over that point.
      const m = document.querySelector('svg.ladder').getScreenCTM();
      const at = (x, y) => new DOMPoint(x, y).matrixTransform(m);
      const lines = [...document.querySelectorAll('[data-testid="segment"][data-frame] g.arrow line')].map((l) => {
        const [a, b] = [at(+l.getAttribute('x1'), +l.getAttribute('y1')), at(+l.getAttribute('x2'), +l.getAttribute('y2'))];
        return { frame: l.closest('[data-testid="segment"]').dataset.frame, a, b };
      });
      const nearest = (t) => {
        const [cx, cy] = [(t.r.left + t.r.right) / 2, (t.r.top + t.r.bottom) / 2];
        return lines.filter((l) => cx >= Math.min(l.a.x, l.b.x) && cx <= Math.max(l.a.x, l.b.x))
          .map((l) => ({ frame: l.frame, d: Math.abs(l.a.y + ((l.b.y - l.a.y) * (cx - l.a.x)) / (l.b.x - l.a.x || 1) - cy) })).sort((p, q) => p.d - q.d)[0] ?? { frame: null };
      };
      return { cls: g.getAttribute('class'), head: line.getAttribute('marker-end'), tail: line.getAttribute('marker-start'), stroke: getComputedStyle(line).stroke, dash: getComputedStyle(line).strokeDasharray,
        plain: getComputedStyle(document.querySelector('[data-testid="segment"][data-frame]:not(.resent).seg-data g.arrow line, [data-testid="segment"][data-frame]:not(.resent) g.arrow line')).stroke,
        tags: tags.map((t) => ({ text: t.text, nearest: nearest(t).frame, below: t.r.top - lr.bottom, inside: t.r.left >= Math.min(lr.left, lr.right) - 40 && t.r.right <= Math.max(lr.left, lr.right) + 40 })) };
    });
    if (!/\bresent\b/.test(resent.cls) || !resent.head.includes('resent') || !resent.tail?.includes('resent') || resent.dash === 'none' || resent.stroke === resent.plain) throw new Error(`frame 269 is not drawn as a resent segment: ${JSON.stringify(resent)}`);
    const kind = resent.tags.find((t) => /fast retransmit/.test(t.text));
    if (!kind) throw new Error(`frame 269's tags: ${JSON.stringify(resent.tags)}`);
    const stray = resent.tags.filter((t) => t.nearest !== '269' || !t.inside);
    if (stray.length) throw new Error(`tags of frame 269 nearer another arrow or off its span: ${JSON.stringify(stray)}`);
    await page.screenshot({ path: path.join(outDir, 'loss-fast-retransmit-1366x768.png') });
    // Frame 266: its SACK edges relative (as its seq and ack are) on the arrow's hover text.
    const sackTitle = await page.locator('[data-testid="segment"][data-frame="266"] > title').textContent();
    if (!/SACK 144801–146249/.test(sackTitle)) throw new Error(`frame 266's SACK edges: ${sackTitle}`);
    // Every option decoded with its meaning: the SYN's, and a SACK block's.
    const fields = async (frame) => {
      await page.locator('[data-testid="jump-frame"]').fill(String(frame));
      await page.locator('[data-testid="jump-frame"]').press('Enter');
      await page.locator('.segment-panel h3', { hasText: `Frame ${frame}` }).waitFor({ timeout: TIMEOUT });
      return page.locator('[data-testid="packet-detail"] tr').evaluateAll((rows) => rows.map((r) => [r.querySelector('th').textContent, r.querySelector('td').firstChild?.textContent ?? '', r.querySelector('.meaning')?.textContent ?? '']));
    };
    const syn = await fields(1);
    for (const name of ['Maximum segment size', 'SACK permitted', 'Timestamps', 'Window scale']) {
      const f = syn.find(([n]) => n === name);
      if (!f || !f[2]) throw new Error(`the SYN's ${name} is not decoded with its meaning: ${JSON.stringify(syn.map(([n]) => n))}`);
    }
    if (!/^TSval \d+, TSecr \d+$/.test(syn.find(([n]) => n === 'Timestamps')[1])) throw new Error(`the SYN's timestamps: ${syn.find(([n]) => n === 'Timestamps')[1]}`);
    const sack = await fields(266);
    const block = sack.find(([n]) => n === 'SACK');
    if (!block || !/\d+–\d+/.test(block[1]) || !block[2].includes('RFC 2018')) throw new Error(`frame 266's SACK option: ${JSON.stringify(block)}`);
    await page.screenshot({ path: path.join(outDir, 'loss-sack-options-1366x768.png') });
    const axe = await axeViolations(page);
    if (axe.length) throw new Error(`axe on the loss: ${axe.join('; ')}`);
    console.log(`     frame 269: ${resent.cls.trim()}, tags ${resent.tags.map((t) => `"${t.text}" ${t.below.toFixed(0)} px under its line`).join(', ')}; frame 266 "${sackTitle.match(/SACK [^\n,;]*/)[0]}"; the SYN's options ${syn.filter(([n]) => ['Maximum segment size', 'SACK permitted', 'Timestamps', 'Window scale'].includes(n)).map(([n, v]) => `${n}${v ? ` ${v}` : ''}`).join(', ')}`);
  });
  check('lane names once on a laptop: the sticky names over the lifelines, the drawing\'s own hidden on screen', async (page) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(base);
    await page.locator('[data-testid="sample"][data-file="seed_close_immediately.pcap"]').click();
    await page.locator('[data-testid="segment"][data-frame="10"]').waitFor({ timeout: TIMEOUT });
    const names = await page.evaluate(() => {
      const seen = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.bottom > 0 && getComputedStyle(e).visibility !== 'hidden' && getComputedStyle(e).opacity !== '0' && getComputedStyle(e).display !== 'none'; };
      return { sticky: [...document.querySelectorAll('[data-testid="lane-headers"] .lane')].filter(seen).map((l) => l.textContent),
        drawn: [...document.querySelectorAll('svg.ladder .lifeline-role, svg.ladder .lifeline-name')].filter((t) => seen(t) && t.getBoundingClientRect().top >= document.querySelector('.diagram-scroll').getBoundingClientRect().top).map((t) => t.textContent) };
    });
    if (names.sticky.length !== 2 || names.drawn.length) throw new Error(`lane names at 1366×768: ${JSON.stringify(names)}`);
    console.log(`     1366×768: ${names.sticky.join(' | ')} once`);
  });
}
