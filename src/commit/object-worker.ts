// Worker thread: takes an arena of small files (object-arena.ts) and for each one
// computes its content checksum; unless the repository already has that object,
// deflates it and writes the `.filez` into a staging dir. Running this off the
// main thread lets tar parsing, hashing and compression overlap on all cores.
// Each worker writes into a directory of its own: file creation is the slowest
// step on many filesystems and serializes per directory.
import { hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writevSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { serveJobs } from '../threads/serve.js';
import { arenaRecords } from './object-arena.js';

export interface ArenaJob {
  arena: ArrayBuffer;
  count: number;
  stagingDir: string;
  /** objects/ directory; the worker skips objects already stored there. */
  objectsDir: string;
  /** zlib level of the `.filez` streams. */
  level: number;
}

export interface ArenaResult {
  /** The arena, handed back for reuse. */
  arena: ArrayBuffer;
  /** The records' checksums, 64 hex digits each, concatenated. */
  checksums: string;
  /** Per record: the bytes staged as `${dir}/${firstSeq + i}`, or 0 when the repository had it. */
  staged: number[];
  dir: string;
  firstSeq: number;
}

let nextSeq = 0;
let madeDir = '';

/**
 * Deflate outputs are memory outside V8's heap, freed only when V8 collects the
 * Buffers holding them. This thread allocates almost nothing else, so V8 would let
 * up to ~64 MiB of dead outputs pile up before collecting: a young-generation GC
 * (a small heap: cheap) every COLLECT_EVERY bytes of output keeps that bounded
 * (peak RSS -20 to -40 MB on a 1.2 GB commit, no slower).
 */
const COLLECT_EVERY = 1 << 20;
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options: { type: 'minor' }) => void;
let outputSinceCollect = 0;

function run(job: ArenaJob): ArenaResult {
  const dir = `${job.stagingDir}/w${threadId}`;
  if (madeDir !== dir) {
    mkdirSync(dir, { recursive: true });
    madeDir = dir;
  }
  const firstSeq = nextSeq;
  let checksums = '';
  const staged: number[] = [];
  for (const { archiveHeader, hashed, data } of arenaRecords(job.arena, job.count)) {
    const seq = nextSeq++;
    const checksum = hash('sha256', hashed, 'hex');
    checksums += checksum;
    if (existsSync(`${job.objectsDir}/${checksum.slice(0, 2)}/${checksum.slice(2)}.filez`)) {
      staged.push(0);
      continue;
    }
    const body = deflateRawSync(data, { level: job.level });
    const fd = openSync(`${dir}/${seq}`, 'w', 0o644);
    try {
      const written = writevSync(fd, [archiveHeader, body]);
      if (written !== archiveHeader.length + body.length) throw new Error(`short write staging an object (${written} bytes)`);
    } finally {
      closeSync(fd);
    }
    staged.push(archiveHeader.length + body.length);
    outputSinceCollect += body.length;
  }
  if (outputSinceCollect > COLLECT_EVERY) {
    outputSinceCollect = 0;
    collect({ type: 'minor' });
  }
  return { arena: job.arena, checksums, staged, dir, firstSeq };
}

serveJobs(run, (r) => [r.arena]);
