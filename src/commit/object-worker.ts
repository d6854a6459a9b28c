// Worker thread: hashes one file's content stream, and unless the repository
// already has that object, deflates it and writes the `.filez` into the staging
// dir. Running this off the main thread lets tar parsing and compression overlap.
// Each worker writes into a directory of its own: file creation is the slowest
// step on many filesystems and serializes per directory.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parentPort, threadId } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';

export interface ObjectJob {
  /** Index within its batch. */
  id: number;
  /** Canonical content header, then the `.filez` header, then the file's bytes. */
  packed: Uint8Array;
  headerLength: number;
  archiveHeaderLength: number;
  stagingDir: string;
  /** objects/ directory; the worker skips objects already stored there. */
  objectsDir: string;
}

export interface ObjectJobResult {
  id: number;
  checksum?: string;
  tempPath?: string;
  /** Bytes written, or -1 when the object already existed. */
  written?: number;
  error?: string;
}

/** ostree's default: zlib level 6. */
export const DEFLATE_LEVEL = 6;

let written = 0;
const madeDirs = new Set<string>();

function run(job: ObjectJob): ObjectJobResult {
  const packed = Buffer.from(job.packed.buffer, job.packed.byteOffset, job.packed.byteLength);
  const header = packed.subarray(0, job.headerLength);
  const archiveHeader = packed.subarray(job.headerLength, job.headerLength + job.archiveHeaderLength);
  const data = packed.subarray(job.headerLength + job.archiveHeaderLength);
  const checksum = createHash('sha256').update(header).update(data).digest('hex');
  if (existsSync(`${job.objectsDir}/${checksum.slice(0, 2)}/${checksum.slice(2)}.filez`)) return { id: job.id, checksum, written: -1 };
  const body = deflateRawSync(data, { level: DEFLATE_LEVEL });
  const dir = `${job.stagingDir}/w${threadId}`;
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tempPath = `${dir}/${written++}`;
  writeFileSync(tempPath, Buffer.concat([archiveHeader, body]), { mode: 0o644 });
  return { id: job.id, checksum, tempPath, written: archiveHeader.length + body.length };
}

parentPort?.on('message', (batch: ObjectJob[]) => {
  const results = batch.map((job): ObjectJobResult => {
    try {
      return run(job);
    } catch (e) {
      return { id: job.id, error: (e as Error).message };
    }
  });
  parentPort!.postMessage(results);
});
