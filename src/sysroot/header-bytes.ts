// The first bytes of an archive content object: its header, which says the file's
// owner, mode, xattrs and size. Read and parsed on the main thread and by the header
// worker.
import { closeSync, openSync, readSync } from 'node:fs';
import { parseArchiveHeader, type FileMeta } from '../ostree/file-header.js';

export interface ArchiveHeader {
  meta: FileMeta;
  /** Uncompressed size (0 for symlinks). */
  size: number;
  /** Offset of the deflate stream in the .filez file. */
  contentOffset: number;
}

/** The header in an object's first bytes (throws on a corrupt one). */
export function archiveHeaderOf(bytes: Buffer): ArchiveHeader {
  const parsed = parseArchiveHeader(bytes);
  return { meta: parsed.meta, size: parsed.size ?? 0, contentOffset: parsed.contentOffset };
}

/** Headers are ~100 bytes plus xattrs: one small read is nearly always enough. */
const FIRST_READ = 512;

/** Bytes the header needs, from the length prefix of the first read. */
const headerLength = (buf: Buffer, n: number): number => (n >= 4 ? 8 + buf.readUInt32BE(0) : 8);

/** The object's header bytes (a few more may follow), or undefined when it cannot be opened. */
export function readHeaderBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let buf = Buffer.allocUnsafe(FIRST_READ);
    let n = readSync(fd, buf, 0, buf.length, 0);
    if (headerLength(buf, n) > n) {
      buf = Buffer.allocUnsafe(headerLength(buf, n));
      n = readSync(fd, buf, 0, buf.length, 0);
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
