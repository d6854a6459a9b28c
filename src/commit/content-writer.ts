// Writes content objects while the tarball streams. Files up to SMALL_FILE are
// packed into arenas (object-arena.ts) that worker threads hash, deflate and
// write while the main thread reads on, so all cores work; bigger files are hashed
// here and cut into arena-sized pieces that the workers deflate in parallel as
// parts of one stream. Memory stays bounded: at most MAX_IN_FLIGHT bytes of arenas
// and pieces wait for a worker or the disk. Neither the checksum (it covers the
// uncompressed content) nor the bytes written depend on scheduling.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { encodeArchiveHeader, encodeContentHeader, type FileMeta } from '../ostree/file-header.js';
import { isSymlink } from '../ostree/validate.js';
import type { Transaction } from '../repo/transaction.js';
import { BufferGarbage } from '../threads/collect-garbage.js';
import { ThreadPool } from '../threads/pool.js';
import { ArenaWriter, RECORD_OVERHEAD } from './object-arena.js';
import { knownCompressed } from './deflate-level.js';
import type { ArenaJob, ArenaResult, ObjectJob, ObjectResult, PieceJob, PieceResult } from './object-worker.js';
import { stageContentObject } from './stage-object.js';

/**
 * Files up to this size go to a worker whole, in an arena; bigger ones in pieces
 * (a whole file's deflate output is held in memory until it is written).
 */
const SMALL_FILE = 1 << 20;
/** An arena is sent once it holds this much (one holding a bigger file is that big). */
const ARENA_BYTES = 1 << 20;
/** Deflate's window: the dictionary a big file's piece gets from the piece before. */
const DEFLATE_WINDOW = 32 << 10;
/** Upper bound on arena bytes sent and not yet done. */
const MAX_IN_FLIGHT = 8 << 20;
/**
 * Dead Buffers here (read chunks, deflated pieces) outlive two young GCs while they
 * wait in queues: a full GC (30-50 ms on a 65k-entry tree, a handful per GB) once
 * they add up to this much keeps the peak RSS down (V8 waits for 64 MiB more).
 */
const BUFFER_SLACK = 16 << 20;

/** Where a file's checksum goes once its object is written (a tree node). */
export interface ChecksumTarget {
  checksum: string;
}

interface InFlight {
  bytes: number;
  done: Promise<void>;
}

export type ObjectWorkers = ThreadPool<ObjectJob, ObjectResult>;

/**
 * The object workers (one per core), started now. A command starts them first
 * thing, so that their start-up (~60 ms each, libdeflate's compile among it)
 * overlaps its own (settings, yargs' help text, opening the repository): the
 * workers are the commit's bottleneck from their first job to their last.
 */
export function startObjectWorkers(): ObjectWorkers {
  const workers = new ThreadPool<ObjectJob, ObjectResult>(new URL('./object-worker.js', import.meta.url));
  workers.start();
  return workers;
}

export class ContentWriter {
  private arena: ArenaWriter | undefined;
  private targets: ChecksumTarget[] = [];
  /** Arenas the workers handed back, reused instead of allocating. */
  private spare: ArrayBuffer[] = [];
  private inFlight: InFlight[] = [];
  private inFlightBytes = 0;
  private garbage = new BufferGarbage(BUFFER_SLACK);
  private level: number;
  contentBytes = 0;

  constructor(
    private tx: Transaction,
    private pool: ObjectWorkers,
  ) {
    if (tx.repo.mode !== 'archive') {
      throw new UsageError(`committing into a ${tx.repo.mode} repository is not supported; commit into an archive repository (the default of "yocto-ostree init")`);
    }
    this.level = tx.repo.zlibLevel;
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
    return new ArenaWriter(bytes <= ARENA_BYTES ? this.spareBuffer() : Buffer.allocUnsafeSlow(bytes));
  }

  /** Hands the filling arena to a worker; waits while too much is in flight. */
  private async send(): Promise<void> {
    const arena = this.arena;
    const targets = this.targets;
    this.arena = undefined;
    this.targets = [];
    if (!arena || arena.count === 0) return;
    const buffer = arena.buffer.buffer as ArrayBuffer;
    const job: ArenaJob = { kind: 'arena', arena: buffer, count: arena.count, repoDir: this.tx.repo.path, stagingDir: this.tx.stagingDir, level: this.level };
    const done = this.pool.run(() => ({ job, transfer: [buffer] })).then((reply) => {
      const r = reply as ArenaResult;
      this.recycle(r.arena);
      targets.forEach((target, i) => {
        target.checksum = r.checksums.slice(i * 64, i * 64 + 64);
        if (r.staged[i] > 0) this.tx.stage(target.checksum, 'file', r.staged[i]);
      });
    });
    await this.track(arena.used, done);
  }

  /**
   * A file too big for an arena: read in arena-sized pieces, hashed here in order,
   * each piece deflated by a worker as a part of one deflate stream (see PieceJob),
   * the outputs written in order. The tar reading goes on meanwhile.
   */
  private async streamLarge(meta: FileMeta, header: Buffer, size: number, content: Readable): Promise<string> {
    const hash = createHash('sha256').update(header);
    const tempPath = this.tx.newTempPath();
    const file = await open(tempPath, 'w', 0o644);
    let written = 0;
    let tail = Promise.resolve();
    const append = (data: Promise<Uint8Array> | Uint8Array): Promise<void> =>
      (tail = Promise.all([data, tail]).then(async ([bytes]) => {
        const { bytesWritten } = await file.write(bytes);
        if (bytesWritten !== bytes.length) throw new Error(`short write staging an object (${bytesWritten} of ${bytes.length} bytes)`);
        written += bytesWritten;
      }));
    void append(encodeArchiveHeader(meta, size));
    let piece: Buffer | undefined;
    let filled = 0;
    let position = 0;
    let level: number | undefined;
    let dictionary: Uint8Array | undefined;
    const deflatePiece = async (last: boolean): Promise<void> => {
      const sent = piece!;
      const length = filled;
      // The file's magic decides here; each piece's entropy in the worker.
      level ??= knownCompressed(sent.subarray(0, length)) ? 0 : this.level;
      const job: PieceJob = { kind: 'piece', arena: sent.buffer as ArrayBuffer, length, dictionary, last, level };
      // Copied now: the piece's buffer moves to the worker.
      dictionary = last ? undefined : Buffer.from(sent.subarray(length - DEFLATE_WINDOW, length));
      const deflated = this.pool.run(() => ({ job, transfer: [job.arena] })).then((r) => {
        this.recycle(r.arena);
        return new Uint8Array((r as PieceResult).deflated);
      });
      piece = undefined;
      filled = 0;
      await this.track(length, append(deflated));
    };
    try {
      for await (const chunk of content as AsyncIterable<Buffer>) {
        if (position + chunk.length > size) throw new Error(`entry data is longer than its ${size} bytes`);
        hash.update(chunk);
        for (let at = 0; at < chunk.length; ) {
          piece ??= this.spareBuffer();
          const n = chunk.copy(piece, filled, at);
          at += n;
          filled += n;
          position += n;
          if (filled === piece.length) await deflatePiece(position === size);
        }
      }
      if (position !== size) throw new Error(`entry data ended after ${position} of ${size} bytes`);
      if (filled > 0) await deflatePiece(true);
    } catch (e) {
      void tail.catch(() => undefined).finally(() => file.close().catch(() => undefined));
      throw e;
    }
    const checksum = hash.digest('hex');
    await this.track(
      0,
      tail.then(
        async () => {
          await file.close();
          this.tx.adopt(tempPath, checksum, 'file', written);
        },
        // A piece that failed (its worker died) after the last one was sent.
        async (e: unknown) => {
          await file.close().catch(() => undefined);
          throw e;
        },
      ),
    );
    return checksum;
  }

  /** An arena-sized buffer of its own (it moves to a worker): one the workers handed back, else a new one. */
  private spareBuffer(): Buffer {
    const reused = this.spare.pop();
    return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(ARENA_BYTES);
  }

  private recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === ARENA_BYTES) this.spare.push(buffer);
  }

  /** Counts `bytes` as in flight until `done`; waits while too much is. */
  private async track(bytes: number, done: Promise<void>): Promise<void> {
    this.garbage.check(bytes);
    done.catch(() => undefined); // failures surface in the wait below or in finish()
    this.inFlight.push({ bytes, done });
    this.inFlightBytes += bytes;
    while (this.inFlightBytes > MAX_IN_FLIGHT) {
      this.tx.prepareFlush();
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.inFlightBytes -= oldest.bytes;
    }
  }

  /**
   * Sends what is left and waits for every pending object write. The disk starts
   * taking what is written meanwhile: the workers' last few MiB and the trees after
   * them are all that publish() then waits for.
   */
  async finish(): Promise<void> {
    await this.send();
    this.tx.startFlush();
    await Promise.all(this.inFlight.map((j) => j.done));
    this.inFlight = [];
    this.inFlightBytes = 0;
  }

  /** Stops the workers (again is harmless); call it whether or not the commit succeeded. */
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
