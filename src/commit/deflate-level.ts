// The zlib level a content object's `.filez` stream gets. Content that is already
// compressed (a Debian rootfs carries thousands of .gz changelogs and man pages)
// deflates to about 100 % of its size at full cost: ~8 % of the deflate CPU of a
// whole rootfs for nothing. Such content, known by its magic bytes, is stored
// (level 0: stored deflate blocks, 5 bytes per 64 KiB); the rest gets the repo's
// `[archive] zlib-level`. The choice depends on the bytes alone: deterministic.

const COMPRESSED_MAGIC: readonly Buffer[] = [
  Buffer.from([0x1f, 0x8b]), // gzip
  Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), // xz
  Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), // zstd
  Buffer.from('BZh'), // bzip2
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), // png
  Buffer.from([0xff, 0xd8, 0xff]), // jpeg
];

/** Level for `content` (only its first bytes are looked at). */
export function deflateLevel(content: Uint8Array, repoLevel: number): number {
  for (const magic of COMPRESSED_MAGIC) {
    if (content.length >= magic.length && magic.every((b, i) => content[i] === b)) return 0;
  }
  return repoLevel;
}
