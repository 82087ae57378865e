// Makes a large pcap for the browser tests and benchmark out of a real capture made by Linux's
// TCP stack (tests/captures/real/bulk_100k.pcap.gz, a 113 892-segment bulk transfer): the
// records are written `copies` times, each copy later in time and with the client port moved,
// so every copy is a connection of its own. Written to a git-ignored folder, reused if present.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const IP_OFFSET = { 0: 4, 1: 14, 101: 0, 113: 16, 276: 20 };

export function makeBigCapture(root, outPath, copies) {
  if (fs.existsSync(outPath)) return outPath;
  const src = zlib.gunzipSync(fs.readFileSync(path.join(root, 'tests/captures/real/bulk_100k.pcap.gz')));
  if (src.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('expected a little-endian microsecond pcap');
  const ipAt = IP_OFFSET[src.readUInt32LE(20) & 0xffff];
  if (ipAt === undefined) throw new Error(`unexpected link type ${src.readUInt32LE(20)}`);
  const records = src.subarray(24);
  const firstTcp = 24 + 16 + ipAt + (src[24 + 16 + ipAt] & 0x0f) * 4;
  const serverPort = src.readUInt16BE(firstTcp + 2);
  const lastSec = (() => { let at = 0, sec = 0; while (at + 16 <= records.length) { sec = records.readUInt32LE(at); at += 16 + records.readUInt32LE(at + 8); } return sec; })();
  const span = lastSec - records.readUInt32LE(0) + 1;
  const fd = fs.openSync(outPath + '.part', 'w');
  fs.writeSync(fd, src.subarray(0, 24));
  for (let k = 0; k < copies; k++) {
    const copy = Buffer.from(records);
    for (let at = 0; at + 16 <= copy.length; at += 16 + copy.readUInt32LE(at + 8)) {
      copy.writeUInt32LE(copy.readUInt32LE(at) + k * span, at);
      const ip = at + 16 + ipAt;
      if ((copy[ip] >> 4) !== 4) continue;
      const tcp = ip + (copy[ip] & 0x0f) * 4;
      for (const p of [tcp, tcp + 2]) {
        const port = copy.readUInt16BE(p);
        if (port !== serverPort) copy.writeUInt16BE(1024 + ((port - 1024 + k) % 64000), p);
      }
    }
    fs.writeSync(fd, copy);
  }
  fs.closeSync(fd);
  fs.renameSync(outPath + '.part', outPath);
  return outPath;
}
