// Suffix array construction by induced sorting (SA-IS; Nong, Zhang & Chan 2009),
// linear time: bsdiff needs the suffix array of every old file, and the classic
// qsufsort is O(n log n) with a large constant. The end-of-text sentinel is
// virtual (never stored). Induced sorting is bound by random memory access, so
// each level keeps one Int32Array `ct` holding (character << 1 | type): one
// read tells both the bucket and the L/S type of a position.

const L = 0;
const S = 1;

/** The suffix array of `text` (positions of all non-empty suffixes in sorted order). */
export function suffixArray(text: Uint8Array): Int32Array {
  const sa = new Int32Array(text.length);
  if (text.length > 0) sais(withTypes(text, text.length), sa, text.length, 256);
  return sa;
}

/** ct[i] = t[i] << 1 | type, where S means "suffix i sorts before suffix i+1". */
function withTypes(t: ArrayLike<number>, n: number): Int32Array {
  const ct = new Int32Array(n);
  ct[n - 1] = (t[n - 1] << 1) | L; // the last character is greater than the sentinel
  for (let i = n - 2; i >= 0; i--) {
    const c = t[i];
    const next = t[i + 1];
    ct[i] = (c << 1) | (c < next || (c === next && (ct[i + 1] & 1) === S) ? S : L);
  }
  return ct;
}

function isLms(ct: Int32Array, i: number): boolean {
  return i > 0 && (ct[i] & 1) === S && (ct[i - 1] & 1) === L;
}

function bucketCounts(ct: Int32Array, n: number, k: number): Int32Array {
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[ct[i] >> 1]++;
  return counts;
}

function bucketHeads(counts: Int32Array, out: Int32Array): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    out[c] = sum;
    sum += counts[c];
  }
}

function bucketTails(counts: Int32Array, out: Int32Array): void {
  let sum = 0;
  for (let c = 0; c < counts.length; c++) {
    sum += counts[c];
    out[c] = sum;
  }
}

/** Fills sa from the LMS suffixes already placed at their bucket tails. */
function induce(ct: Int32Array, sa: Int32Array, n: number, counts: Int32Array, bucket: Int32Array): void {
  bucketHeads(counts, bucket);
  // The virtual sentinel comes first; its predecessor n-1 is always L-type.
  sa[bucket[ct[n - 1] >> 1]++] = n - 1;
  for (let i = 0; i < n; i++) {
    const j = sa[i] - 1;
    if (j < 0) continue;
    const v = ct[j];
    if ((v & 1) === L) sa[bucket[v >> 1]++] = j;
  }
  bucketTails(counts, bucket);
  for (let i = n - 1; i >= 0; i--) {
    const j = sa[i] - 1;
    if (j < 0) continue;
    const v = ct[j];
    if ((v & 1) === S) sa[--bucket[v >> 1]] = j;
  }
}

/** Equal LMS substrings (same characters and types up to the next LMS position). */
function lmsSubstringsEqual(ct: Int32Array, n: number, a: number, b: number): boolean {
  for (let d = 0; ; d++) {
    if (a + d === n || b + d === n) return false; // only the sentinel reaches the end
    if (ct[a + d] !== ct[b + d]) return false;
    if (d > 0) {
      const aEnd = isLms(ct, a + d);
      const bEnd = isLms(ct, b + d);
      if (aEnd || bEnd) return aEnd && bEnd;
    }
  }
}

function sais(ct: Int32Array, sa: Int32Array, n: number, k: number): void {
  if (n === 1) {
    sa[0] = 0;
    return;
  }
  const counts = bucketCounts(ct, n, k);
  const bucket = new Int32Array(k);

  // 1. Sort the LMS substrings: seed them at bucket tails, induce.
  sa.fill(-1);
  bucketTails(counts, bucket);
  for (let i = n - 1; i >= 1; i--) if (isLms(ct, i)) sa[--bucket[ct[i] >> 1]] = i;
  induce(ct, sa, n, counts, bucket);

  // 2. Collect the sorted LMS positions at the front of sa.
  let n1 = 0;
  for (let i = 0; i < n; i++) if (isLms(ct, sa[i])) sa[n1++] = sa[i];

  // 3. Name them; equal substrings share a name. LMS positions are at least two
  //    apart, so pos>>1 indexes the free upper part of sa without collisions.
  sa.fill(-1, n1);
  let names = 0;
  let prev = -1;
  for (let i = 0; i < n1; i++) {
    const p = sa[i];
    if (prev < 0 || !lmsSubstringsEqual(ct, n, prev, p)) names++;
    prev = p;
    sa[n1 + (p >> 1)] = names - 1;
  }
  const reduced = new Int32Array(n1);
  for (let i = n1, j = 0; i < n; i++) if (sa[i] >= 0) reduced[j++] = sa[i];
  const lmsPositions = new Int32Array(n1);
  for (let i = 1, j = 0; i < n; i++) if (isLms(ct, i)) lmsPositions[j++] = i;

  // 4. Sort the LMS suffixes: directly if names are unique, else recursively.
  const reducedSa = new Int32Array(n1);
  if (names < n1) sais(withTypes(reduced, n1), reducedSa, n1, names);
  else for (let i = 0; i < n1; i++) reducedSa[reduced[i]] = i;

  // 5. Seed the sorted LMS suffixes at bucket tails (largest first), induce all.
  sa.fill(-1);
  bucketTails(counts, bucket);
  for (let i = n1 - 1; i >= 0; i--) {
    const p = lmsPositions[reducedSa[i]];
    sa[--bucket[ct[p] >> 1]] = p;
  }
  induce(ct, sa, n, counts, bucket);
}
