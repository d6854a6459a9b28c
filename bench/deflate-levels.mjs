#!/usr/bin/env node
// bench/deflate-levels.mjs TARBALL [EVERY_NTH]
//
// Why the arenas' small files are deflated by libdeflate at the repository's zlib
// level minus 2 (src/commit/whole-deflate.ts): deflates the tarball's files that go
// into arenas (up to 1 MiB, not already compressed) with Node's zlib (what ostree
// uses) and with libdeflate, at the levels in $ZLIB (default 6 5) and $LIBDEFLATE
// (default 1 2 3 4 6), in batches of 100 files
// with the order rotating per batch, so the machine's swings in speed hit every
// variant alike. Prints each variant's CPU time and output size relative to the
// first zlib level.
// EVERY_NTH samples one file in N (for the 1.2 GB tarball). Build first (npm run build).
import { createReadStream } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import tar from 'tar-stream';
import { deflateLevel } from '../dist/src/commit/deflate-level.js';
import { WholeDeflater } from '../dist/src/commit/whole-deflate.js';

const [tarball, nth = '1'] = process.argv.slice(2);
if (!tarball) throw new Error('usage: bench/deflate-levels.mjs TARBALL [EVERY_NTH]');
const SMALL_FILE = 1 << 20;
const BATCH = 100;

const files = [];
let seen = 0;
const extract = tar.extract();
extract.on('entry', (header, stream, next) => {
  const parts = [];
  stream.on('data', (d) => parts.push(d));
  stream.on('end', () => {
    if (header.type === 'file' && header.size <= SMALL_FILE && seen++ % Number(nth) === 0) {
      const data = Buffer.concat(parts);
      if (deflateLevel(data, 6) !== 0) files.push(data);
    }
    next();
  });
});
await new Promise((resolve, reject) => {
  extract.on('finish', resolve);
  extract.on('error', reject);
  createReadStream(tarball).pipe(extract);
});

const deflater = await WholeDeflater.load();
const levels = (variable, fallback) => (process.env[variable] ?? fallback).split(/\s+/).filter(Boolean).map(Number);
const variants = Object.fromEntries([
  ...levels('ZLIB', '6 5').map((l) => [`zlib${l}`, (f) => deflateRawSync(f, { level: l }).length]),
  ...levels('LIBDEFLATE', '1 2 3 4 6').map((l) => [`libdeflate${l}`, (f) => deflater.deflate(f, l).length]),
]);
const names = Object.keys(variants);
const totals = Object.fromEntries(names.map((n) => [n, { ms: 0, bytes: 0 }]));
for (let i = 0; i < files.length; i += BATCH) {
  const batch = files.slice(i, i + BATCH);
  const turn = (i / BATCH) % names.length;
  for (const name of [...names.slice(turn), ...names.slice(0, turn)]) {
    const start = performance.now();
    for (const f of batch) totals[name].bytes += variants[name](f);
    totals[name].ms += performance.now() - start;
  }
}
const input = files.reduce((n, f) => n + f.length, 0);
console.log(`${files.length} files, ${input} bytes`);
const first = totals[names[0]];
console.log(`variant        ms   bytes       time/${names[0]} size/${names[0]}`);
for (const name of names) {
  const { ms, bytes } = totals[name];
  console.log(`${name.padEnd(12)} ${ms.toFixed(0).padStart(5)} ${String(bytes).padStart(11)} ${(ms / first.ms).toFixed(3).padStart(10)} ${(bytes / first.bytes).toFixed(4).padStart(10)}`);
}
