// Content objects of an archive repository read the way the sysroot writers need
// them: the header alone (owner, mode, xattrs, size: thousands of small reads while
// the tree is loaded), and the bytes, inflated, in chunks.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { createInflateRaw } from 'node:zlib';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { inflateObject } from '../repo/content-reader.js';
import type { Repo } from '../repo/repo.js';
import { ThreadPool } from '../threads/pool.js';
import { archiveHeaderOf, readHeaderBytes, type ArchiveHeader } from './header-bytes.js';
import type { HeaderJob, HeaderResult } from './header-worker.js';
import { HEADER_WORKER } from './header-worker-url.js';

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
    return archiveHeaderOf(buf);
  } catch (e) {
    throw corrupt(repo, checksum, `: ${(e as Error).message}`);
  }
}

export type HeaderReader = ThreadPool<HeaderJob, HeaderResult>;

/**
 * The header worker (one thread, two batches at a time), started now unless the CLI
 * entry already did (cli/early-start.ts). A command starts it first thing, so that
 * its start-up overlaps the command's own.
 */
export function startHeaderReader(): HeaderReader {
  const reader = new ThreadPool<HeaderJob, HeaderResult>(HEADER_WORKER, 1, 2);
  reader.start();
  return reader;
}

/** Headers per worker job: few enough that the worker starts early in the tree walk. */
const BATCH = 256;

/** The worker's copy of a header: its xattr values arrive as plain Uint8Arrays. */
function withBuffers(h: ArchiveHeader): ArchiveHeader {
  for (const x of h.meta.xattrs) x.value = Buffer.from(x.value.buffer, x.value.byteOffset, x.value.byteLength);
  return h;
}

interface Batch {
  checksums: string[];
  /** Who reads it: nobody yet, the worker, or this thread (at finish). */
  by: 'queued' | 'worker' | 'main';
  done: Promise<void>;
}

/**
 * Reads content objects' headers into the cache while the caller is still listing
 * them (the tree walk): each BATCH new objects go to the header worker, which reads
 * and parses them while this thread walks on. At finish() this thread reads the
 * batches the worker has not reached, last first, while the worker takes the others
 * in order. Objects that cannot be read are left for readArchiveHeader to report.
 */
export class HeaderPrefetch {
  private readonly cache: Map<string, ArchiveHeader>;
  private readonly listed = new Set<string>();
  private pending: string[] = [];
  private readonly batches: Batch[] = [];

  constructor(
    private readonly repo: Repo,
    private readonly reader: HeaderReader,
    private readonly batchSize = BATCH,
  ) {
    requireArchive(repo);
    this.cache = cacheOf(repo);
  }

  /**
   * Lists an object. True when that made a batch: the caller should then yield to
   * the event loop, where the worker's finished jobs are answered with new ones.
   */
  add(checksum: string): boolean {
    if (this.listed.has(checksum) || this.cache.has(checksum)) return false;
    this.listed.add(checksum);
    this.pending.push(checksum);
    if (this.pending.length < this.batchSize) return false;
    this.send(this.pending);
    this.pending = [];
    return true;
  }

  private send(checksums: string[]): void {
    const batch: Batch = { checksums, by: 'queued', done: Promise.resolve() };
    batch.done = this.reader
      .run(() => {
        // A batch this thread took meanwhile goes as an empty job.
        if (batch.by === 'queued') batch.by = 'worker';
        const paths = batch.by === 'worker' ? checksums.map((c) => this.repo.objectPath(c, 'file')) : [];
        return { job: { paths }, transfer: [] };
      })
      .then(({ headers }) =>
        headers.forEach((h, i) => {
          if (h) this.cache.set(checksums[i]!, withBuffers(h));
        }),
      );
    batch.done.catch(() => undefined); // its failure is reported by finish()
    this.batches.push(batch);
  }

  private readHere(checksums: readonly string[]): void {
    for (const c of checksums) {
      const bytes = readHeaderBytes(this.repo.objectPath(c, 'file'));
      if (bytes) this.cache.set(c, headerFromBytes(this.repo, c, bytes));
    }
  }

  /** Resolves when every listed object's header is in the cache (or found unreadable). */
  async finish(): Promise<void> {
    this.readHere(this.pending);
    this.pending = [];
    // Batches are dispatched in order: past the last one the worker has, all are free.
    for (let i = this.batches.length - 1; i >= 0 && this.batches[i]!.by === 'queued'; i--) {
      this.batches[i]!.by = 'main';
      this.readHere(this.batches[i]!.checksums);
      await setImmediate();
    }
    await Promise.all(this.batches.map((b) => b.done));
  }
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
      const wanted = scratch.length - n;
      const got = readSync(fd, scratch, n, wanted, null);
      n += got;
      // A regular file reads short only at its end: no second read to see 0 bytes (a
      // short read that was not the end would fail the object's size check, not pass).
      if (got < wanted) return scratch.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The bytes of a regular-file object up to WHOLE_READ_MAX, in one right-sized
 * buffer (streams would allocate 1 MiB ones for every small file), or, stored
 * uncompressed, as a view of the read buffer: valid until the next read.
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
    bytes = inflateObject(readIntoScratch(repo.objectPath(checksum, 'file')).subarray(header.contentOffset), header.size);
  } catch (e) {
    throw corrupt(repo, checksum, `: ${(e as Error).message}`);
  }
  checkSize(repo, checksum, header, bytes.length);
  return bytes;
}

/** The bytes of a regular-file object of any size, inflated, in chunks, each valid until the next is asked for (see readWholeContent). */
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
