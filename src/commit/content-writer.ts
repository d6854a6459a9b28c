// Writes content objects while the tarball streams. Each file is hashed in flight;
// small files are then deflated on libuv's thread pool while the next entries are
// read, so both cores work; big files stream through hash + deflate to disk.
// Memory stays bounded: at most MAX_BUFFERED bytes of small files wait for deflate.
// The checksum never depends on scheduling: it is taken over the uncompressed stream.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zc, createDeflateRaw, deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';
import { encodeArchiveHeader, encodeContentHeader, type FileMeta } from '../ostree/file-header.js';
import { isSymlink } from '../ostree/validate.js';
import type { Transaction } from '../repo/transaction.js';

const deflateRawAsync = promisify(deflateRaw);

/** Files up to this size are read whole and deflated in parallel. */
const SMALL_FILE = 4 << 20;
/** Upper bound on small-file bytes waiting for deflate + write. */
const MAX_BUFFERED = 64 << 20;
const MAX_JOBS = 256;
/** ostree's default: zlib level 6 (G_ZLIB_COMPRESSOR default). */
const DEFLATE_OPTIONS = { level: 6, memLevel: 8, strategy: zc.Z_DEFAULT_STRATEGY };

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
  /** Objects being written right now, so duplicates in one tarball are written once. */
  private inFlight = new Map<string, Promise<string>>();
  contentBytes = 0;

  constructor(private tx: Transaction) {
    if (tx.repo.mode !== 'archive') {
      throw new UsageError(`committing into a ${tx.repo.mode} repository is not supported; commit into an archive repository (the default of "yocto-ostree init")`);
    }
  }

  /**
   * Consumes `content` (null for symlinks) and returns once it is read, with the
   * object's checksum still to come (it settles once the object is staged; call
   * `finish()` before publishing). Wrapped in an object because awaiting a
   * promise of a promise would wait for both.
   */
  async add(meta: FileMeta, size: number, content: Readable | null): Promise<PendingObject> {
    const header = encodeContentHeader(meta);
    if (isSymlink(meta.mode) || content === null) {
      content?.resume();
      return this.stageWhole(meta, header, Buffer.alloc(0), false);
    }
    this.contentBytes += size;
    if (size <= SMALL_FILE) {
      const data = await readAll(content, size);
      return this.stageWhole(meta, header, data, true);
    }
    return { checksum: Promise.resolve(await this.streamLarge(meta, header, size, content)) };
  }

  private async stageWhole(meta: FileMeta, header: Buffer, data: Buffer, regular: boolean): Promise<PendingObject> {
    const checksum = createHash('sha256').update(header).update(data).digest('hex');
    const pending = this.inFlight.get(checksum);
    if (pending) return { checksum: pending };
    if (this.tx.has(checksum, 'file')) return { checksum: Promise.resolve(checksum) };
    const tempPath = this.tx.newTempPath();
    const write = (async () => {
      const body = regular ? await deflateRawAsync(data, DEFLATE_OPTIONS) : Buffer.alloc(0);
      const archiveHeader = encodeArchiveHeader(meta, data.length);
      await writeFile(tempPath, regular ? Buffer.concat([archiveHeader, body]) : archiveHeader, { mode: 0o644 });
      this.tx.adopt(tempPath, checksum, 'file', archiveHeader.length + body.length);
      this.inFlight.delete(checksum);
      return checksum;
    })();
    write.catch(() => undefined); // failures surface through track() or finish()
    this.inFlight.set(checksum, write);
    await this.track(data.length, write);
    return { checksum: write };
  }

  /** Keeps the number and size of pending jobs bounded (backpressure on the tar). */
  private async track(bytes: number, done: Promise<unknown>): Promise<void> {
    this.jobs.push({ bytes, done });
    this.buffered += bytes;
    while (this.jobs.length > MAX_JOBS || this.buffered > MAX_BUFFERED) {
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
    await pipeline(content, hasher, createDeflateRaw({ ...DEFLATE_OPTIONS, chunkSize: 1 << 20 }), out);
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
}

async function readAll(stream: Readable, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  if (total !== size) throw new Error(`entry data ended after ${total} of ${size} bytes`);
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
