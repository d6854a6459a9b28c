// Content ("file") objects. The checksum covers the canonical content stream:
//   BE32 header length | 4 zero bytes | (uuuusa(ayay)) | file bytes
// Archive repos store `.filez`: the same framing around (tuuuusa(ayay)) — with the
// uncompressed size first — followed by raw deflate (nothing at all for symlinks).
// uid, gid, mode and size are byte-swapped to big-endian (ostree-format.md §2.2, §3.2).
import { fail, firstMemberEnd, stringAt } from '../gvariant/framing.js';
import { encodeVariant } from '../gvariant/index.js';
import { swap32, swap64 } from './byte-order.js';
import { isSymlink } from './validate.js';
import { xattrsAt, xattrsToVariant, type Xattr } from './xattrs.js';

export interface FileMeta {
  uid: number;
  gid: number;
  /** Full st_mode including S_IFREG or S_IFLNK. */
  mode: number;
  /** Link text for symlinks, "" for regular files. */
  symlinkTarget: string;
  xattrs: Xattr[];
}

const CONTENT_HEADER = '(uuuusa(ayay))';
const ARCHIVE_HEADER = '(tuuuusa(ayay))';

function lengthPrefixed(variant: Buffer): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(variant.length, 0);
  return Buffer.concat([prefix, variant]);
}

/** The header that starts the checksummed content stream. */
export function encodeContentHeader(meta: FileMeta): Buffer {
  return lengthPrefixed(
    encodeVariant(CONTENT_HEADER, [
      swap32(meta.uid),
      swap32(meta.gid),
      swap32(meta.mode),
      0,
      meta.symlinkTarget,
      xattrsToVariant(meta.xattrs),
    ]),
  );
}

/** The header of a `.filez` object; `size` is the uncompressed content length. */
export function encodeArchiveHeader(meta: FileMeta, size: number): Buffer {
  return lengthPrefixed(
    encodeVariant(ARCHIVE_HEADER, [
      swap64(BigInt(size)),
      swap32(meta.uid),
      swap32(meta.gid),
      swap32(meta.mode),
      0,
      meta.symlinkTarget,
      xattrsToVariant(meta.xattrs),
    ]),
  );
}

export interface ParsedHeader {
  meta: FileMeta;
  /** Offset of the first content byte. */
  contentOffset: number;
  /** Only for archive headers. */
  size?: number;
}

function readPrefixed(buf: Buffer): { variant: Buffer; contentOffset: number } {
  if (buf.length < 8) throw new Error('content object header truncated');
  const len = buf.readUInt32BE(0);
  if (8 + len > buf.length) throw new Error('content object header truncated');
  return { variant: buf.subarray(8, 8 + len), contentOffset: 8 + len };
}

/**
 * (uuuusa(ayay)) at `at` of the header variant (0, or 8 in an archive header, past
 * its size), read in place (framing.ts says why). The numbers are big-endian.
 */
function metaAt(v: Buffer, at: number): FileMeta {
  if (v.length < at + 16) fail('content object header truncated');
  const target = firstMemberEnd(v, 0, v.length, at + 16);
  if (v.readUInt32BE(at + 12) !== 0) throw new Error('content object has a non-zero rdev');
  const meta = {
    uid: v.readUInt32BE(at),
    gid: v.readUInt32BE(at + 4),
    mode: v.readUInt32BE(at + 8),
    symlinkTarget: stringAt(v, at + 16, target.end),
    xattrs: xattrsAt(v, target.end, target.framing),
  };
  if (!isSymlink(meta.mode) && meta.symlinkTarget !== '') throw new Error('regular file with a symlink target');
  return meta;
}

/** Parses the header at the start of a canonical content stream (bare objects, deltas). */
export function parseContentHeader(buf: Buffer): ParsedHeader {
  const { variant, contentOffset } = readPrefixed(buf);
  return { meta: metaAt(variant, 0), contentOffset };
}

/** Parses the header at the start of a `.filez` object. */
export function parseArchiveHeader(buf: Buffer): ParsedHeader {
  const { variant, contentOffset } = readPrefixed(buf);
  if (variant.length < 8) fail('archive header truncated');
  // t: the size, byte-swapped like the others; below 2^53 for any real file.
  const size = variant.readUInt32BE(0) * 2 ** 32 + variant.readUInt32BE(4);
  return { meta: metaAt(variant, 8), contentOffset, size };
}
