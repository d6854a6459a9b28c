// Worker thread: hashes one file's content stream, and unless the repository
// already has that object, deflates it and writes the `.filez` into the staging
// dir. Running this off the main thread lets tar parsing and compression overlap.
// Each worker writes into a directory of its own: file creation is the slowest
// step on many filesystems and serializes per directory.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { serveJobs } from '../threads/serve.js';

export interface ObjectJob {
  /** Canonical content header, then the `.filez` header, then the file's bytes. */
  packed: Uint8Array;
  headerLength: number;
  archiveHeaderLength: number;
  stagingDir: string;
  /** objects/ directory; the worker skips objects already stored there. */
  objectsDir: string;
}

export interface ObjectJobResult {
  checksum: string;
  /** Where the object was staged and its size; absent when the repository had it. */
  staged?: { tempPath: string; bytes: number };
}

/** ostree's default: zlib level 6. */
export const DEFLATE_LEVEL = 6;

let stagedCount = 0;
const madeDirs = new Set<string>();

function run(job: ObjectJob): ObjectJobResult {
  const packed = Buffer.from(job.packed.buffer, job.packed.byteOffset, job.packed.byteLength);
  const header = packed.subarray(0, job.headerLength);
  const archiveHeader = packed.subarray(job.headerLength, job.headerLength + job.archiveHeaderLength);
  const data = packed.subarray(job.headerLength + job.archiveHeaderLength);
  const checksum = createHash('sha256').update(header).update(data).digest('hex');
  if (existsSync(`${job.objectsDir}/${checksum.slice(0, 2)}/${checksum.slice(2)}.filez`)) return { checksum };
  const body = deflateRawSync(data, { level: DEFLATE_LEVEL });
  const dir = `${job.stagingDir}/w${threadId}`;
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const tempPath = `${dir}/${stagedCount++}`;
  writeFileSync(tempPath, Buffer.concat([archiveHeader, body]), { mode: 0o644 });
  return { checksum, staged: { tempPath, bytes: archiveHeader.length + body.length } };
}

serveJobs(run);
