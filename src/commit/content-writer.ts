// Writes content objects while the tarball streams. Files up to SMALL_FILE are
// handed to worker threads (hash, dedupe, deflate, write) while the main thread
// reads the next entries, so all cores work; bigger files stream through hash +
// deflate to disk. Memory stays bounded: at most MAX_BUFFERED bytes wait for a
// worker. The checksum never depends on scheduling: it covers the uncompressed stream.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw } from 'node:zlib';
import { UsageError } from '../errors.js';
import { encodeArchiveHeader, encodeContentHeader, type FileMeta } from '../ostree/file-header.js';
import { isSymlink } from '../ostree/validate.js';
import type { Transaction } from '../repo/transaction.js';
import { DEFLATE_LEVEL, type ObjectJob, type ObjectJobResult } from './object-worker.js';
import { stageContentObject } from './stage-object.js';
import { ThreadPool } from '../threads/pool.js';

/** Files up to this size are read whole and handed to a worker. */
const SMALL_FILE = 8 << 20;
/** Upper bound on small-file bytes waiting for a worker. */
const MAX_BUFFERED = 48 << 20;
const MAX_JOBS = 512;

export interface PendingObject {
  checksum: Promise<string>;
}

interface Job {
  bytes: number;
  done: Promise<unknown>;
}

export class ContentWriter {
  private jobs: Job[] = [];
  private buffered = 0;
  private pool = new ThreadPool<ObjectJob, ObjectJobResult>(new URL('./object-worker.js', import.meta.url), { batchJobs: 64, batchBytes: 1 << 20 });
  private objectsDir: string;
  contentBytes = 0;

  constructor(private tx: Transaction) {
    if (tx.repo.mode !== 'archive') {
      throw new UsageError(`committing into a ${tx.repo.mode} repository is not supported; commit into an archive repository (the default of "yocto-ostree init")`);
    }
    this.objectsDir = join(tx.repo.path, 'objects');
  }

  /**
   * Consumes `content` (null for symlinks) and returns once it is read, with the
   * object's checksum still to come (it settles once the object is staged; call
   * `finish()` before publishing). Wrapped in an object because awaiting a
   * promise of a promise would wait for both.
   */
  async add(meta: FileMeta, size: number, content: Readable | null): Promise<PendingObject> {
    if (isSymlink(meta.mode) || content === null) {
      content?.resume();
      // Symlinks are header-only: cheap enough to do right here.
      return { checksum: Promise.resolve(stageContentObject(this.tx, meta, Buffer.alloc(0))) };
    }
    this.contentBytes += size;
    const header = encodeContentHeader(meta);
    if (size <= SMALL_FILE) return this.toWorker(header, encodeArchiveHeader(meta, size), content, size);
    return { checksum: Promise.resolve(await this.streamLarge(meta, header, size, content)) };
  }

  private async toWorker(header: Buffer, archiveHeader: Buffer, content: Readable, size: number): Promise<PendingObject> {
    // Both headers and the content travel in one buffer of its own, moved (not
    // copied) to the worker: a small Buffer would drag its whole 8 KiB pool slab along.
    const packed = Buffer.allocUnsafeSlow(header.length + archiveHeader.length + size);
    header.copy(packed, 0);
    archiveHeader.copy(packed, header.length);
    await readInto(content, packed, header.length + archiveHeader.length, size);
    const job: ObjectJob = { packed, headerLength: header.length, archiveHeaderLength: archiveHeader.length, stagingDir: this.tx.stagingDir, objectsDir: this.objectsDir };
    const write = this.pool
      .run(() => ({ job, transfer: [packed.buffer as ArrayBuffer] }), packed.length)
      .then((r) => {
        if (r.staged) this.tx.adopt(r.staged.tempPath, r.checksum, 'file', r.staged.bytes);
        return r.checksum;
      });
    write.catch(() => undefined); // failures surface through track() or finish()
    await this.track(size, write);
    return { checksum: write };
  }

  /** Keeps the number and size of pending jobs bounded (backpressure on the tar). */
  private async track(bytes: number, done: Promise<unknown>): Promise<void> {
    this.jobs.push({ bytes, done });
    this.buffered += bytes;
    while (this.jobs.length > MAX_JOBS || this.buffered > MAX_BUFFERED) {
      this.pool.flush();
      const job = this.jobs.shift()!;
      await job.done;
      this.buffered -= job.bytes;
    }
  }

  private async streamLarge(meta: FileMeta, header: Buffer, size: number, content: Readable): Promise<string> {
    const hash = createHash('sha256').update(header);
    let seen = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        seen += chunk.length;
        cb(null, chunk);
      },
    });
    const tempPath = this.tx.newTempPath();
    const archiveHeader = encodeArchiveHeader(meta, size);
    const out = createWriteStream(tempPath, { mode: 0o644 });
    out.write(archiveHeader);
    await pipeline(content, hasher, createDeflateRaw({ level: DEFLATE_LEVEL, chunkSize: 1 << 20 }), out);
    if (seen !== size) throw new Error(`entry data ended after ${seen} of ${size} bytes`);
    const checksum = hash.digest('hex');
    this.tx.adopt(tempPath, checksum, 'file', out.bytesWritten);
    return checksum;
  }

  /** Waits for every pending object write. */
  async finish(): Promise<void> {
    await Promise.all(this.jobs.map((j) => j.done));
    this.jobs = [];
    this.buffered = 0;
  }

  /** Stops the workers; call it whether or not the commit succeeded. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** Reads exactly `size` bytes of `stream` into `target` at `offset`. */
async function readInto(stream: Readable, target: Buffer, offset: number, size: number): Promise<void> {
  let at = offset;
  for await (const chunk of stream) {
    if (at + (chunk as Buffer).length > offset + size) throw new Error(`entry data is longer than its ${size} bytes`);
    at += (chunk as Buffer).copy(target, at);
  }
  if (at - offset !== size) throw new Error(`entry data ended after ${at - offset} of ${size} bytes`);
}
