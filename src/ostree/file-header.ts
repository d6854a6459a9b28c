// Content ("file") objects. The checksum covers the canonical content stream:
//   BE32 header length | 4 zero bytes | (uuuusa(ayay)) | file bytes
// Archive repos store `.filez`: the same framing around (tuuuusa(ayay)) — with the
// uncompressed size first — followed by raw deflate (nothing at all for symlinks).
// uid, gid, mode and size are byte-swapped to big-endian (ostree-format.md §2.2, §3.2).
import { decodeVariant, encodeVariant } from '../gvariant/index.js';
import { swap32, swap64 } from './byte-order.js';
import { isSymlink } from './validate.js';
import { xattrsFromVariant, xattrsToVariant, type Xattr } from './xattrs.js';

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

function metaFromFields(uid: number, gid: number, mode: number, rdev: number, target: string, xattrs: unknown): FileMeta {
  if (rdev !== 0) throw new Error('content object has a non-zero rdev');
  const meta = { uid: swap32(uid), gid: swap32(gid), mode: swap32(mode), symlinkTarget: target, xattrs: xattrsFromVariant(xattrs as never) };
  if (!isSymlink(meta.mode) && target !== '') throw new Error('regular file with a symlink target');
  return meta;
}

/** Parses the header at the start of a canonical content stream (bare objects, deltas). */
export function parseContentHeader(buf: Buffer): ParsedHeader {
  const { variant, contentOffset } = readPrefixed(buf);
  const [uid, gid, mode, rdev, target, xattrs] = decodeVariant(CONTENT_HEADER, variant) as [number, number, number, number, string, unknown];
  return { meta: metaFromFields(uid, gid, mode, rdev, target, xattrs), contentOffset };
}

/** Parses the header at the start of a `.filez` object. */
export function parseArchiveHeader(buf: Buffer): ParsedHeader {
  const { variant, contentOffset } = readPrefixed(buf);
  const [size, uid, gid, mode, rdev, target, xattrs] = decodeVariant(ARCHIVE_HEADER, variant) as [bigint, number, number, number, number, string, unknown];
  return { meta: metaFromFields(uid, gid, mode, rdev, target, xattrs), contentOffset, size: Number(swap64(size)) };
}
