// A fast patch for incompressible data (compressed kernels, initramfs, archives):
// there bsdiff's approximate matching finds nothing, only long identical runs
// help, and its suffix array costs seconds per megabyte. Old is indexed by a
// hash of every BLOCK-aligned window; new is scanned with a rolling hash of the
// same window at every offset; hits are verified and extended both ways. The
// matches are written in the same raw bsdiff stream (exact matches become
// all-zero diff runs), so the client's BSPATCH applies them unchanged.
import { PatchWriter } from './patch-writer.js';

const BLOCK = 32;
const BASE = 0x01000193;

/** BASE^(BLOCK-1) mod 2^32: removes the byte leaving the rolling window. */
const OUT_FACTOR = (() => {
  let f = 1;
  for (let i = 0; i < BLOCK - 1; i++) f = Math.imul(f, BASE);
  return f;
})();

function windowHash(buf: Uint8Array, at: number): number {
  let h = 0;
  for (let i = 0; i < BLOCK; i++) h = (Math.imul(h, BASE) + buf[at + i]) | 0;
  return h;
}

interface Match {
  newAt: number;
  oldAt: number;
  length: number;
}

function findMatches(old: Uint8Array, newer: Uint8Array): Match[] {
  const blocks = Math.floor(old.length / BLOCK);
  if (blocks === 0 || newer.length < BLOCK) return [];
  let size = 1;
  while (size < blocks * 2) size <<= 1;
  const mask = size - 1;
  // Open addressing: slot holds block index + 1 (0 = empty); first block wins.
  const slots = new Int32Array(size);
  const hashes = new Int32Array(size);
  for (let b = 0; b < blocks; b++) {
    const h = windowHash(old, b * BLOCK);
    let s = (h ^ (h >>> 15)) & mask;
    while (slots[s] !== 0 && hashes[s] !== h) s = (s + 1) & mask;
    if (slots[s] === 0) {
      slots[s] = b + 1;
      hashes[s] = h;
    }
  }
  const matches: Match[] = [];
  let covered = 0; // new bytes before this are already part of a match
  let h = windowHash(newer, 0);
  for (let i = 0; i + BLOCK <= newer.length; ) {
    let s = (h ^ (h >>> 15)) & mask;
    let found = -1;
    while (slots[s] !== 0) {
      if (hashes[s] === h) {
        found = (slots[s] - 1) * BLOCK;
        break;
      }
      s = (s + 1) & mask;
    }
    if (found >= 0 && Buffer.compare(old.subarray(found, found + BLOCK), newer.subarray(i, i + BLOCK)) === 0) {
      let start = i;
      let oldStart = found;
      while (start > covered && oldStart > 0 && old[oldStart - 1] === newer[start - 1]) {
        start--;
        oldStart--;
      }
      let end = i + BLOCK;
      let oldEnd = found + BLOCK;
      while (end < newer.length && oldEnd < old.length && old[oldEnd] === newer[end]) {
        end++;
        oldEnd++;
      }
      matches.push({ newAt: start, oldAt: oldStart, length: end - start });
      covered = end;
      i = end;
      if (i + BLOCK <= newer.length) h = windowHash(newer, i);
      continue;
    }
    if (i + BLOCK < newer.length) h = (Math.imul(h - Math.imul(newer[i], OUT_FACTOR), BASE) + newer[i + BLOCK]) | 0;
    i++;
  }
  return matches;
}

/** A raw-stream bsdiff patch built from exact block matches only. */
export function blockPatch(old: Uint8Array, newer: Uint8Array): Buffer {
  const out = new PatchWriter(newer.length + 1024);
  const matches = findMatches(old, newer);
  // Control i copies match i-1 (an all-zero diff run) then the literal gap up to
  // match i, and seeks to match i's old position; control 0 copies nothing.
  let prevNew = 0;
  let prevOld = 0;
  let prevLen = 0;
  for (let i = 0; i <= matches.length; i++) {
    const next = matches[i];
    const gapEnd = next ? next.newAt : newer.length;
    const seekTo = next ? next.oldAt : prevOld + prevLen;
    if (i > 0 || gapEnd > 0 || seekTo > 0) {
      out.int64(prevLen);
      out.int64(gapEnd - (prevNew + prevLen));
      out.int64(seekTo - (prevOld + prevLen));
      out.diff(newer, prevNew, old, prevOld, prevLen);
      out.copy(newer, prevNew + prevLen, gapEnd - (prevNew + prevLen));
    }
    if (next) {
      prevNew = next.newAt;
      prevOld = next.oldAt;
      prevLen = next.length;
    }
  }
  return out.finish();
}
