// Debian's Chromium driven by playwright-core (which never downloads a browser), launched the
// same way for the end-to-end test and for the README's screenshots.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/// `require` for the npm tools installed in tools/ by scripts/setup.sh.
export const toolsRequire = createRequire(path.join(root, 'tools/package.json'));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium() {
  const { chromium } = toolsRequire('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root Chromium needs --no-sandbox; the rest keep it from reaching for any other host.
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
