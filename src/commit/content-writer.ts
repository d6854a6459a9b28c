// Writes content objects while the tarball streams. Files up to SMALL_FILE are
// packed into arenas (object-arena.ts) that worker threads hash, deflate and
// write while the main thread reads on, so all cores work; bigger files stream
// through hash + deflate to disk. Memory stays bounded: at most MAX_IN_FLIGHT
// bytes of arenas wait for a worker. The checksum never depends on scheduling: it
// covers the uncompressed content.
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
import { ThreadPool } from '../threads/pool.js';
import { ArenaWriter, RECORD_OVERHEAD } from './object-arena.js';
import type { ArenaJob, ArenaResult } from './object-worker.js';
import { stageContentObject } from './stage-object.js';

/**
 * Files up to this size go to a worker in an arena; bigger ones stream (zlib on
 * libuv's threads). Bigger files in workers would cost their memory (a file's
 * deflate output is held whole) without making anything faster.
 */
const SMALL_FILE = 1 << 20;
/** An arena is sent once it holds this much (one holding a bigger file is that big). */
const ARENA_BYTES = 1 << 20;
/** Upper bound on arena bytes sent and not yet done. */
const MAX_IN_FLIGHT = 8 << 20;

/** Where a file's checksum goes once its object is written (a tree node). */
export interface ChecksumTarget {
  checksum: string;
}

interface InFlight {
  bytes: number;
  done: Promise<void>;
}

export class ContentWriter {
  private arena: ArenaWriter | undefined;
  private targets: ChecksumTarget[] = [];
  /** Arenas the workers handed back, reused instead of allocating. */
  private spare: ArrayBuffer[] = [];
  private inFlight: InFlight[] = [];
  private inFlightBytes = 0;
  private pool = new ThreadPool<ArenaJob, ArenaResult>(new URL('./object-worker.js', import.meta.url));
  private objectsDir: string;
  private level: number;
  contentBytes = 0;

  constructor(private tx: Transaction) {
    if (tx.repo.mode !== 'archive') {
      throw new UsageError(`committing into a ${tx.repo.mode} repository is not supported; commit into an archive repository (the default of "yocto-ostree init")`);
    }
    this.objectsDir = join(tx.repo.path, 'objects');
    this.level = tx.repo.zlibLevel;
    this.pool.start();
  }

  /**
   * Consumes `content` (null for symlinks) and returns once it is read; the
   * object's checksum lands in `target.checksum` once the object is staged
   * (call `finish()` before publishing).
   */
  async add(meta: FileMeta, size: number, content: Readable | null, target: ChecksumTarget): Promise<void> {
    if (isSymlink(meta.mode) || content === null) {
      content?.resume();
      // Symlinks are header-only: cheap enough to do right here.
      target.checksum = stageContentObject(this.tx, meta, Buffer.alloc(0));
      return;
    }
    this.contentBytes += size;
    const header = encodeContentHeader(meta);
    if (size > SMALL_FILE) {
      target.checksum = await this.streamLarge(meta, header, size, content);
      return;
    }
    const archiveHeader = encodeArchiveHeader(meta, size);
    const bytes = RECORD_OVERHEAD + header.length + archiveHeader.length + size;
    if (this.arena && !this.arena.fits(bytes)) await this.send();
    this.arena ??= this.newArena(bytes);
    const at = this.arena.append(header, archiveHeader, size);
    await readInto(content, this.arena.buffer, at, size);
    this.targets.push(target);
    if (this.arena.used >= ARENA_BYTES) await this.send();
  }

  private newArena(bytes: number): ArenaWriter {
    const reused = bytes <= ARENA_BYTES ? this.spare.pop() : undefined;
    return new ArenaWriter(reused ?? Math.max(bytes, ARENA_BYTES));
  }

  /** Hands the filling arena to a worker; waits while too much is in flight. */
  private async send(): Promise<void> {
    const arena = this.arena;
    const targets = this.targets;
    this.arena = undefined;
    this.targets = [];
    if (!arena || arena.count === 0) return;
    const buffer = arena.buffer.buffer as ArrayBuffer;
    const job: ArenaJob = { arena: buffer, count: arena.count, stagingDir: this.tx.stagingDir, objectsDir: this.objectsDir, level: this.level };
    const done = this.pool.run(() => ({ job, transfer: [buffer] })).then((r) => {
      if (r.arena.byteLength === ARENA_BYTES) this.spare.push(r.arena);
      targets.forEach((target, i) => {
        target.checksum = r.checksums.slice(i * 64, i * 64 + 64);
        if (r.staged[i] > 0) this.tx.adopt(`${r.dir}/${r.firstSeq + i}`, target.checksum, 'file', r.staged[i]);
      });
    });
    done.catch(() => undefined); // failures surface in the wait below or in finish()
    this.inFlight.push({ bytes: arena.used, done });
    this.inFlightBytes += arena.used;
    while (this.inFlightBytes > MAX_IN_FLIGHT) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.inFlightBytes -= oldest.bytes;
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
    await pipeline(content, hasher, createDeflateRaw({ level: this.level, chunkSize: 1 << 20 }), out);
    if (seen !== size) throw new Error(`entry data ended after ${seen} of ${size} bytes`);
    const checksum = hash.digest('hex');
    this.tx.adopt(tempPath, checksum, 'file', out.bytesWritten);
    return checksum;
  }

  /** Sends what is left and waits for every pending object write. */
  async finish(): Promise<void> {
    await this.send();
    await Promise.all(this.inFlight.map((j) => j.done));
    this.inFlight = [];
    this.inFlightBytes = 0;
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
