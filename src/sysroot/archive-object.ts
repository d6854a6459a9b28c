// Content objects of an archive repository read the way the sysroot writers need
// them: the header alone (owner, mode, xattrs, size: thousands of small reads while
// the tree is loaded), and the bytes, inflated, in chunks.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { parseArchiveHeader, type FileMeta } from '../ostree/file-header.js';
import type { Repo } from '../repo/repo.js';
import { ThreadPool } from '../threads/pool.js';
import { readHeaderBytes, unpackHeaders } from './header-bytes.js';
import type { HeaderJob, HeaderResult } from './header-worker.js';

export interface ArchiveHeader {
  meta: FileMeta;
  /** Uncompressed size (0 for symlinks). */
  size: number;
  /** Offset of the deflate stream in the .filez file. */
  contentOffset: number;
}

function requireArchive(repo: Repo): void {
  if (repo.mode !== 'archive') throw new UsageError(`${repo.path} is a ${repo.mode} repository; otaimg reads archive repositories (the build repository)`);
}

/** `why` follows "is corrupt": ": <reason>" or " (<detail>)". */
const corrupt = (repo: Repo, checksum: string, why: string): RepoFormatError => new RepoFormatError(`content object ${checksum} in ${repo.path} is corrupt${why}`);

/** Headers already read, per repository: the tree load reads them all, the writers again. */
const headerCache = new WeakMap<Repo, Map<string, ArchiveHeader>>();

function cacheOf(repo: Repo): Map<string, ArchiveHeader> {
  let cache = headerCache.get(repo);
  if (!cache) headerCache.set(repo, (cache = new Map()));
  return cache;
}

export function readArchiveHeader(repo: Repo, checksum: string): ArchiveHeader {
  const cache = cacheOf(repo);
  let header = cache.get(checksum);
  if (!header) {
    requireArchive(repo);
    const bytes = readHeaderBytes(repo.objectPath(checksum, 'file'));
    if (!bytes) throw new NotFoundError(`content object ${checksum} is not in ${repo.path}`);
    cache.set(checksum, (header = headerFromBytes(repo, checksum, bytes)));
  }
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

export type HeaderReader = ThreadPool<HeaderJob, HeaderResult>;

/**
 * The header worker (one thread), started now. A command starts it first thing, so
 * that its start-up overlaps the command's own.
 */
export function startHeaderReader(): HeaderReader {
  const reader = new ThreadPool<HeaderJob, HeaderResult>(new URL('./header-worker.js', import.meta.url), 1);
  reader.start();
  return reader;
}

/**
 * The worker's share of the headers. This thread reads the rest and parses them all
 * (parsing costs about what reading does), so the two finish together.
 */
const WORKER_SHARE = 2 / 3;

/**
 * Reads the headers of `checksums` into the cache, on this thread and `reader`'s at
 * once. Objects that cannot be read are left for readArchiveHeader to report.
 */
export async function prefetchArchiveHeaders(repo: Repo, checksums: readonly string[], reader: HeaderReader): Promise<void> {
  requireArchive(repo);
  const cache = cacheOf(repo);
  const todo = [...new Set(checksums)].filter((c) => !cache.has(c));
  const store = (part: readonly string[], headers: readonly (Buffer | undefined)[]): void =>
    part.forEach((checksum, i) => {
      const bytes = headers[i];
      if (bytes) cache.set(checksum, headerFromBytes(repo, checksum, bytes));
    });
  const split = Math.round(todo.length * WORKER_SHARE);
  const theirs = todo.slice(0, split);
  const fromWorker = reader.run(() => ({ job: { paths: theirs.map((c) => repo.objectPath(c, 'file')) }, transfer: [] }));
  const ours = todo.slice(split);
  store(ours, ours.map((c) => readHeaderBytes(repo.objectPath(c, 'file'))));
  store(theirs, unpackHeaders((await fromWorker).packed, theirs.length));
}

/** Objects up to this size are read and inflated in one go; bigger ones are streamed. */
const WHOLE_READ_MAX = 4 << 20;
const STREAM_CHUNK = 1 << 20;

function checkSize(repo: Repo, checksum: string, header: ArchiveHeader, total: number): void {
  if (total !== header.size) throw corrupt(repo, checksum, ` (${total} bytes, its header says ${header.size})`);
}

/** Where readWholeContent reads object files: one buffer, grown as needed, instead of one per file (on big 51k files, most of its 0.7 GB repository). */
let scratch = Buffer.allocUnsafeSlow(1 << 20);

/** The file's bytes, in `scratch` (valid until the next call). */
function readIntoScratch(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (;;) {
      if (n === scratch.length) {
        const bigger = Buffer.allocUnsafeSlow(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const got = readSync(fd, scratch, n, scratch.length - n, null);
      if (got === 0) return scratch.subarray(0, n);
      n += got;
    }
  } finally {
    closeSync(fd);
  }
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
    bytes = inflateRawSync(readIntoScratch(repo.objectPath(checksum, 'file')).subarray(header.contentOffset), { chunkSize, maxOutputLength: chunkSize });
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
