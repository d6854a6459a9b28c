// Content objects of an archive repository read the way the sysroot writers need
// them: the header alone (owner, mode, xattrs, size: thousands of small reads while
// the tree is loaded), and the bytes, inflated, in chunks.
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { parseArchiveHeader, type FileMeta } from '../ostree/file-header.js';
import type { Repo } from '../repo/repo.js';

export interface ArchiveHeader {
  meta: FileMeta;
  /** Uncompressed size (0 for symlinks). */
  size: number;
  /** Offset of the deflate stream in the .filez file. */
  contentOffset: number;
}

/** Headers are ~100 bytes plus xattrs: one small read is nearly always enough. */
const FIRST_READ = 512;

function requireArchive(repo: Repo): void {
  if (repo.mode !== 'archive') throw new UsageError(`${repo.path} is a ${repo.mode} repository; otaimg reads archive repositories (the build repository)`);
}

/** `why` follows "is corrupt": ": <reason>" or " (<detail>)". */
const corrupt = (repo: Repo, checksum: string, why: string): RepoFormatError => new RepoFormatError(`content object ${checksum} in ${repo.path} is corrupt${why}`);

/** Headers already read, per repository: the tree load reads them all, the writers again. */
const headerCache = new WeakMap<Repo, Map<string, ArchiveHeader>>();

export function readArchiveHeader(repo: Repo, checksum: string): ArchiveHeader {
  let cache = headerCache.get(repo);
  if (!cache) headerCache.set(repo, (cache = new Map()));
  let header = cache.get(checksum);
  if (!header) cache.set(checksum, (header = readHeaderFromDisk(repo, checksum)));
  return header;
}

function headerFromBytes(repo: Repo, checksum: string, buf: Buffer): ArchiveHeader {
  try {
    const parsed = parseArchiveHeader(buf);
    return { meta: parsed.meta, size: parsed.size ?? 0, contentOffset: parsed.contentOffset };
  } catch (e) {
    throw corrupt(repo, checksum, `: ${(e as Error).message}`);
  }
}

/** Bytes the header needs, from the length prefix of the first read. */
const headerLength = (buf: Buffer, n: number): number => (n >= 4 ? 8 + buf.readUInt32BE(0) : 8);

function readHeaderFromDisk(repo: Repo, checksum: string): ArchiveHeader {
  requireArchive(repo);
  let fd: number;
  try {
    fd = openSync(repo.objectPath(checksum, 'file'), 'r');
  } catch {
    throw new NotFoundError(`content object ${checksum} is not in ${repo.path}`);
  }
  try {
    let buf = Buffer.alloc(FIRST_READ);
    let n = readSync(fd, buf, 0, buf.length, 0);
    if (headerLength(buf, n) > n) {
      buf = Buffer.alloc(headerLength(buf, n));
      n = readSync(fd, buf, 0, buf.length, 0);
    }
    return headerFromBytes(repo, checksum, buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/** Objects up to this size are read and inflated in one go; bigger ones are streamed. */
const WHOLE_READ_MAX = 4 << 20;
const STREAM_CHUNK = 1 << 20;

function checkSize(repo: Repo, checksum: string, header: ArchiveHeader, total: number): void {
  if (total !== header.size) throw corrupt(repo, checksum, ` (${total} bytes, its header says ${header.size})`);
}

/**
 * The bytes of a regular-file object up to WHOLE_READ_MAX, in one right-sized
 * buffer (streams would allocate 1 MiB ones for every small file).
 *
 * Not hashed: like `ostree pull-local` from a local repository (trusted, no
 * --untrusted), the build repository is not re-verified while the image is written
 * (that hashing was 5% of the run); `yocto-ostree inspect` verifies the result
 * against the commit.
 */
function readWholeContent(repo: Repo, checksum: string, header: ArchiveHeader): Buffer {
  if (header.size === 0) return Buffer.alloc(0);
  let bytes: Buffer;
  try {
    // Room for all of it at once (in zlib's default 16 KiB steps inflating took twice as
    // long); a corrupt object that inflates to more stops one byte past its size.
    const chunkSize = Math.max(64, header.size + 1);
    bytes = inflateRawSync(readFileSync(repo.objectPath(checksum, 'file')).subarray(header.contentOffset), { chunkSize, maxOutputLength: chunkSize });
  } catch (e) {
    throw corrupt(repo, checksum, `: ${(e as Error).message}`);
  }
  checkSize(repo, checksum, header, bytes.length);
  return bytes;
}

/** The bytes of a regular-file object of any size, inflated, in chunks (see readWholeContent). */
export async function* readArchiveContent(repo: Repo, checksum: string, header: ArchiveHeader): AsyncGenerator<Buffer> {
  if (header.size <= WHOLE_READ_MAX) {
    yield readWholeContent(repo, checksum, header);
    return;
  }
  let total = 0;
  try {
    const path = repo.objectPath(checksum, 'file');
    for await (const chunk of createReadStream(path, { start: header.contentOffset, highWaterMark: STREAM_CHUNK }).pipe(createInflateRaw({ chunkSize: STREAM_CHUNK })) as AsyncIterable<Buffer>) {
      total += chunk.length;
      yield chunk;
    }
  } catch (e) {
    throw corrupt(repo, checksum, `: ${(e as Error).message}`);
  }
  checkSize(repo, checksum, header, total);
}
