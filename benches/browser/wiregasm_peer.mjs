// The in-browser peer, run in Node: Wireshark compiled to wasm (@goodtools/wiregasm, from
// npm, loaded from node_modules) opens a capture and computes its TCP conversation table
// (the same `conv,tcp` tap as the native peer) — the equivalent of our full connection list.
// Prints one JSON line: {ok, load_ms, ms, frames, conversations, memory_bytes} or {ok: false,
// error}: load_ms is the load alone (every frame dissected), ms the load and the table.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { Wiregasm } = require('@goodtools/wiregasm');
const loadWiregasm = require('@goodtools/wiregasm/dist/wiregasm');
const dist = path.dirname(require.resolve('@goodtools/wiregasm/dist/wiregasm'));

async function main() {
  const file = process.argv[2];
  const wg = new Wiregasm();
  await wg.init(loadWiregasm, {
    locateFile: (name) => path.join(dist, name),
    printErr: () => {},
    print: () => {},
  });
  // Timed from the moment the bytes are handed over, as ours is from the file being chosen.
  const data = fs.readFileSync(file);
  const started = performance.now();
  const loaded = wg.load(path.basename(file), new Uint8Array(data.buffer, data.byteOffset, data.length));
  const loadMs = performance.now() - started;
  if (loaded.code !== 0) throw new Error(`load failed: code ${loaded.code} ${loaded.error ?? ''}`);
  const tapped = wg.tap({ tap0: 'conv:TCP' });
  const ms = performance.now() - started;
  const conversations = tapped.taps[0]?.convs?.length ?? 0;
  const memory = wg.lib.HEAP8.length;
  console.log(JSON.stringify({ ok: true, load_ms: loadMs, ms, frames: loaded.summary?.packet_count ?? null, conversations, memory_bytes: memory }));
}

main().catch((e) => { console.log(JSON.stringify({ ok: false, error: String(e?.message ?? e).slice(0, 200) })); process.exit(0); });
