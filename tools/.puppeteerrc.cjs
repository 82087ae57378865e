// puppeteer (pulled in by @mermaid-js/mermaid-cli) must never download a browser: the export
// test drives Debian's Chromium, and only crates.io, Debian, npm and PyPI are reachable.
module.exports = { skipDownload: true };
