// bsdiff (Colin Percival's algorithm) producing the raw stream form that
// ostree's BSPATCH opcode applies (mendsley/bsdiff without header or bzip2):
//   repeat { ctrl: 3 × int64 sign-magnitude LE (diff length, extra length,
//            old-position seek); diff bytes (new − old); extra bytes (verbatim) }
// The patch is compressed afterwards with the rest of the delta part.
import { PatchWriter } from './patch-writer.js';
import { suffixArray } from './suffix-array.js';

/** Bytes of `a` from `ai` and `b` from `bi` that are equal, up to the shorter end. */
function commonLength(a: Uint8Array, ai: number, b: Uint8Array, bi: number): number {
  const max = Math.min(a.length - ai, b.length - bi);
  let k = 0;
  while (k < max && a[ai + k] === b[bi + k]) k++;
  return k;
}

/**
 * Finds the longest prefix of `target[at..]` occurring in `old`: binary search
 * over its suffix array, narrowed first to the suffixes sharing the first two
 * bytes (a 64 K-entry table — most of the search's random memory accesses
 * otherwise go to the first levels). The common-prefix lengths with both
 * bounds are carried along so comparisons resume where they stopped.
 */
class MatchFinder {
  private sa: Int32Array;
  /** For each 2-byte prefix p: its suffixes are sa[start[p] .. start[p+1]). */
  private start = new Int32Array(65537);

  constructor(private old: Uint8Array) {
    this.sa = suffixArray(old);
    const { sa, start } = this;
    // Suffixes sort by their first two bytes; the lone 1-byte suffix sorts
    // first within its first byte's range and belongs to no 2-byte bucket.
    for (let i = 0; i < sa.length; i++) {
      const p = sa[i];
      if (p + 1 < old.length) start[((old[p] << 8) | old[p + 1]) + 1]++;
    }
    for (let i = 0; i < 65536; i++) start[i + 1] += start[i];
    const lone = old.length > 0 ? old[old.length - 1] : -1;
    // Shift the buckets at or after the lone suffix's position by one.
    if (lone >= 0) for (let i = (lone << 8) + 0; i <= 65536; i++) start[i]++;
  }

  /** Returns [length, position in old]. */
  longest(target: Uint8Array, at: number): [number, number] {
    const { sa, old, start } = this;
    const queryLen = target.length - at;
    if (sa.length === 0 || queryLen === 0) return [0, 0];
    if (queryLen >= 2) {
      const p = (target[at] << 8) | target[at + 1];
      if (start[p + 1] > start[p]) return this.search(target, at, start[p], start[p + 1] - 1, 2);
    }
    // No suffix shares two bytes: the best match is at most one byte long.
    const lo = start[target[at] << 8];
    const hi = start[(target[at] + 1) << 8];
    if (hi > lo) return [1, sa[lo]];
    if (target[at] === old[old.length - 1]) return [1, old.length - 1];
    return [0, sa[0]];
  }

  private search(target: Uint8Array, at: number, lo: number, hi: number, known: number): [number, number] {
    const { sa, old } = this;
    const queryLen = target.length - at;
    let loLen = known + commonLength(old, sa[lo] + known, target, at + known);
    let hiLen = known + commonLength(old, sa[hi] + known, target, at + known);
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      const start = sa[mid];
      let k = Math.min(loLen, hiLen);
      const max = Math.min(old.length - start, queryLen);
      while (k < max && old[start + k] === target[at + k]) k++;
      // Query exhausted: it sorts before (or equals) the suffix. Suffix exhausted: after.
      const queryFirst = k === queryLen || (k < max && target[at + k] < old[start + k]);
      if (queryFirst) {
        hi = mid;
        hiLen = k;
      } else {
        lo = mid;
        loLen = k;
      }
    }
    return loLen >= hiLen ? [loLen, sa[lo]] : [hiLen, sa[hi]];
  }
}

/** A patch turning `old` into `newer` (apply with bspatch). */
export function bsdiff(old: Uint8Array, newer: Uint8Array): Buffer {
  const finder = new MatchFinder(old);
  const out = new PatchWriter(newer.length + 1024);
  const oldSize = old.length;
  const newSize = newer.length;
  const same = (o: number, n: number): boolean => o >= 0 && o < oldSize && old[o] === newer[n];

  let scan = 0;
  let len = 0;
  let pos = 0;
  let lastScan = 0;
  let lastPos = 0;
  let lastOffset = 0;
  while (scan < newSize) {
    // Scan forward for an exact match that beats (by 8 bytes) simply continuing
    // the previous alignment, which already yields `oldScore` matching bytes.
    let oldScore = 0;
    scan += len;
    let scoreAt = scan;
    for (; scan < newSize; scan++) {
      [len, pos] = finder.longest(newer, scan);
      for (; scoreAt < scan + len; scoreAt++) if (same(scoreAt + lastOffset, scoreAt)) oldScore++;
      if ((len === oldScore && len !== 0) || len > oldScore + 8) break;
      if (same(scan + lastOffset, scan)) oldScore--;
    }
    if (len === oldScore && scan !== newSize) continue;

    // Extend the previous match forwards and this one backwards as long as at
    // least half of the bytes agree; those regions become "diff" (mostly zeros).
    let lenF = 0;
    for (let i = 0, s = 0, best = 0; lastScan + i < scan && lastPos + i < oldSize; ) {
      if (old[lastPos + i] === newer[lastScan + i]) s++;
      i++;
      if (s * 2 - i > best * 2 - lenF) {
        best = s;
        lenF = i;
      }
    }
    let lenB = 0;
    if (scan < newSize) {
      for (let i = 1, s = 0, best = 0; scan >= lastScan + i && pos >= i; i++) {
        if (old[pos - i] === newer[scan - i]) s++;
        if (s * 2 - i > best * 2 - lenB) {
          best = s;
          lenB = i;
        }
      }
    }
    // If the two extensions overlap, split the overlap where it scores best.
    if (lastScan + lenF > scan - lenB) {
      const overlap = lastScan + lenF - (scan - lenB);
      let s = 0;
      let best = 0;
      let lenS = 0;
      for (let i = 0; i < overlap; i++) {
        if (newer[lastScan + lenF - overlap + i] === old[lastPos + lenF - overlap + i]) s++;
        if (newer[scan - lenB + i] === old[pos - lenB + i]) s--;
        if (s > best) {
          best = s;
          lenS = i + 1;
        }
      }
      lenF += lenS - overlap;
      lenB -= lenS;
    }

    const extra = scan - lenB - (lastScan + lenF);
    out.int64(lenF);
    out.int64(extra);
    out.int64(pos - lenB - (lastPos + lenF));
    out.diff(newer, lastScan, old, lastPos, lenF);
    out.copy(newer, lastScan + lenF, extra);

    lastScan = scan - lenB;
    lastPos = pos - lenB;
    lastOffset = pos - scan;
  }
  return out.finish();
}
