// Reads content objects of an archive repository for delta generation: the
// header alone (mode, size, stored size) for planning; whole objects are read
// with readContentObject when packed.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NotFoundError, RepoFormatError } from '../errors.js';
import { parseArchiveHeader, type FileMeta } from '../ostree/file-header.js';
import type { Repo } from '../repo/repo.js';

export interface ContentInfo {
  checksum: string;
  meta: FileMeta;
  /** Content size (0 for symlinks). */
  size: number;
  /** Size of the stored `.filez`: what a client fetching it loose downloads. */
  storedSize: number;
  /** Bytes of its deflate stream: how well the content compresses. */
  compressedSize: number;
}

/** Reads only the `.filez` header. */
export function readContentInfo(repo: Repo, checksum: string): ContentInfo {
  const path = repo.objectPath(checksum, 'file');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new NotFoundError(`content object ${checksum} is not in ${repo.path}`);
  }
  try {
    const storedSize = fstatSync(fd).size;
    const prefix = Buffer.alloc(8);
    readSync(fd, prefix, 0, 8, 0);
    const len = prefix.readUInt32BE(0);
    if (8 + len > storedSize) throw new RepoFormatError(`content object ${checksum} in ${repo.path} is corrupt (truncated header)`);
    const head = Buffer.alloc(8 + len);
    readSync(fd, head, 0, head.length, 0);
    const { meta, size } = parseArchiveHeader(head);
    return { checksum, meta, size: size ?? 0, storedSize, compressedSize: storedSize - head.length };
  } finally {
    closeSync(fd);
  }
}

