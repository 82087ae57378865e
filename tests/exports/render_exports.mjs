// Renders every Mermaid (.mmd) and PlantUML (.puml) export in a folder with the tools their
// users have: mermaid-cli 11.17 in Debian's Chromium (one browser for all diagrams) and
// Debian's PlantUML (one JVM for all). Fails on any diagram that does not render: a syntax
// error, Mermaid's "maximum text size" box (which mmdc draws with exit status 0), a PlantUML
// error picture, or an SVG that is not well-formed.
//
//     node tests/exports/render_exports.mjs DIR     (DIR from examples/write_exports.rs)
//
// Rendered pictures are written to DIR/rendered/ to be looked at.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';

const require = createRequire(path.resolve('tools/package.json'));
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tests/exports/render_exports.mjs DIR');
  process.exit(2);
}
const outDir = path.join(dir, 'rendered');
fs.mkdirSync(outDir, { recursive: true });
const files = fs.readdirSync(dir).sort();
const mermaidFiles = files.filter((f) => f.endsWith('.mmd'));
const plantumlFiles = files.filter((f) => f.endsWith('.puml'));
const failures = [];
// Failures are printed as they are found, so a long sweep stopped early still says what broke.
const fail = (what) => {
  failures.push(what);
  console.error(`FAILED ${what}`);
};

// What mermaid draws instead of the diagram when it gives up without throwing.
const MERMAID_ERROR_MARKS = ['Maximum text size in diagram exceeded', 'Syntax error in text', 'Parse error'];
// What PlantUML writes into the picture when it cannot read the text.
const PLANTUML_ERROR_MARKS = ['Syntax Error?', 'An error has occured', 'Cannot find group'];

function wellFormed(svg) {
  // A light check that needs no XML library: one root, every element closed in order.
  const body = svg.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const stack = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0 && /^\s*<svg[\s>]/.test(body);
}

async function renderMermaidFiles() {
  const { renderMermaid } = await import(pathToFileURL(require.resolve('@mermaid-js/mermaid-cli')).href);
  const puppeteer = (await import(pathToFileURL(require.resolve('puppeteer')).href)).default;
  const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  let ok = 0;
  const started = Date.now();
  try {
    // Two pages at a time: this machine has two cores.
    let next = 0;
    const worker = async () => {
      while (next < mermaidFiles.length) {
        const f = mermaidFiles[next++];
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        try {
          const { data } = await renderMermaid(browser, text, 'svg', { mermaidConfig: { securityLevel: 'strict' } });
          const svg = Buffer.from(data).toString('utf8');
          const mark = MERMAID_ERROR_MARKS.find((m) => svg.includes(m));
          if (mark) fail(`mermaid ${f}: rendered as an error (${mark})`);
          else if (!wellFormed(svg)) fail(`mermaid ${f}: the SVG is not well-formed`);
          // An empty box (or any size Mermaid could not work out) is drawn with NaN lengths,
          // which the browser reports and skips: the picture is then broken without an error.
          else if (/="NaN"/.test(svg)) fail(`mermaid ${f}: NaN lengths in the SVG`);
          else ok++;
          fs.writeFileSync(path.join(outDir, f.replace(/\.mmd$/, '.mermaid.svg')), svg);
          if (next % 500 === 0) console.log(`mermaid-cli: ${next}/${mermaidFiles.length} …`);
        } catch (e) {
          fail(`mermaid ${f}: ${String(e.message || e).split('\n').slice(0, 3).join(' | ')}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    await browser.close();
  }
  console.log(`mermaid-cli: ${ok}/${mermaidFiles.length} rendered (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function renderPlantumlFiles() {
  const started = Date.now();
  const plantumlDir = path.join(outDir, 'plantuml');
  fs.mkdirSync(plantumlDir, { recursive: true });
  // One JVM for every file; PlantUML exits non-zero when any file has an error, and names the
  // failing files on stderr, so the pictures are checked one by one below either way.
  let stderr = '';
  try {
    execFileSync('plantuml', ['-tsvg', '-charset', 'UTF-8', '-nometadata', '-o', path.resolve(plantumlDir), ...plantumlFiles.map((f) => path.join(dir, f))], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
      env: { ...process.env, JAVA_TOOL_OPTIONS: '-Djava.awt.headless=true' },
    });
  } catch (e) {
    stderr = String(e.stderr || '');
  }
  let ok = 0;
  for (const f of plantumlFiles) {
    const svgPath = path.join(plantumlDir, f.replace(/\.puml$/, '.svg'));
    if (!fs.existsSync(svgPath)) {
      fail(`plantuml ${f}: no picture written`);
      continue;
    }
    const svg = fs.readFileSync(svgPath, 'utf8');
    const mark = PLANTUML_ERROR_MARKS.find((m) => svg.includes(m));
    if (mark) fail(`plantuml ${f}: rendered as an error (${mark})`);
    else if (!wellFormed(svg)) fail(`plantuml ${f}: the SVG is not well-formed`);
    else ok++;
  }
  console.log(`plantuml: ${ok}/${plantumlFiles.length} rendered (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (ok < plantumlFiles.length && stderr) console.log(stderr.split('\n').slice(0, 10).join('\n'));
}

renderPlantumlFiles();
await renderMermaidFiles();
if (failures.length) {
  console.error(`${failures.length} exports did not render:\n${failures.slice(0, 40).join('\n')}`);
  process.exit(1);
}
if (mermaidFiles.length === 0 || plantumlFiles.length === 0) {
  console.error(`no exports found in ${dir}`);
  process.exit(1);
}
console.log('every export rendered');
