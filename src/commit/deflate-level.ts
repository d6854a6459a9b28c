// The zlib level a content object's `.filez` stream gets. Content that is already
// compressed deflates to about 100 % of its size at full cost. A Debian rootfs
// carries thousands of .gz changelogs and man pages (~8 % of the deflate CPU of a
// whole rootfs, for nothing), known by their magic bytes; and kernel images,
// firmware and squashfs blobs whose compressed payload follows a header, known by
// their byte entropy (the armmp zImage is two 5.4 MB copies in every Debian
// rootfs: ~0.25 s of deflate CPU for 0.5 %). Such content is stored (level 0:
// stored deflate blocks, 5 bytes per 64 KiB); the rest gets the repo's
// `[archive] zlib-level`. The choice depends on the bytes alone: deterministic.

const COMPRESSED_MAGIC: readonly Buffer[] = [
  Buffer.from([0x1f, 0x8b]), // gzip
  Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), // xz
  Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), // zstd
  Buffer.from('BZh'), // bzip2
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), // png
  Buffer.from([0xff, 0xd8, 0xff]), // jpeg
];

/** Below this, content is not worth the entropy estimate (and the estimate is rough). */
const ENTROPY_MIN_BYTES = 64 << 10;
/**
 * Bytes the estimate reads, spread evenly with an odd stride (no power-of-two record
 * layout lines up with it): ~20 µs a call, whatever the size. Reading every 4th
 * byte instead cost the workers ~0.15 s of a v1 commit.
 */
const SAMPLES = 16384;
/**
 * Bits per byte above which content is stored. At 7.99, order-0 coding could save
 * at most 0.1 %; on the corpus, compressed payloads measure 7.993-8.0 and the most
 * random-looking compressible content (a GPG keyring, ratio 0.94) 7.97.
 */
const INCOMPRESSIBLE_BITS = 7.99;

/** Whether `content` starts like a compressed format. */
export function knownCompressed(content: Uint8Array): boolean {
  return COMPRESSED_MAGIC.some((magic) => content.length >= magic.length && magic.every((b, i) => content[i] === b));
}

/** Whether `content` (a file or a piece of one) has the byte entropy of compressed data. */
export function looksIncompressible(content: Uint8Array): boolean {
  if (content.length < ENTROPY_MIN_BYTES) return false;
  const stride = Math.floor(content.length / SAMPLES) | 1;
  const counts = new Uint32Array(256);
  // Counted, not computed as length / stride: V8 speculates that division to be
  // exact and deoptimizes this function whenever it is not.
  let samples = 0;
  for (let i = 0; i < content.length; i += stride, samples++) counts[content[i]!]++;
  let bits = 0;
  let seen = 0;
  for (const c of counts) {
    if (c > 0) {
      seen++;
      bits -= (c / samples) * Math.log2(c / samples);
    }
  }
  // Miller-Madow: from a sample the estimate comes out low by about this much
  // (0.011 bits for 16k samples of random bytes, more than the margin above 7.99).
  bits += (seen - 1) / (2 * samples * Math.LN2);
  return bits > INCOMPRESSIBLE_BITS;
}

/** Level for a whole file's `content`. */
export function deflateLevel(content: Uint8Array, repoLevel: number): number {
  return knownCompressed(content) || looksIncompressible(content) ? 0 : repoLevel;
}
