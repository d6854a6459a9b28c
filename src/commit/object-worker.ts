// Worker thread, two kinds of job. An arena of small files (object-arena.ts): for
// each one it computes the content checksum and, unless the repository already has
// that object, deflates it (libdeflate, whole-deflate.ts) and writes the `.filez`
// into a staging dir. A piece of a big file: it deflates the piece (zlib) as a part
// of that file's deflate stream (the main thread hashes and writes big files; see
// content-writer.ts). Running this off the main thread lets tar parsing, hashing and
// compression overlap on all cores. Objects are staged at their repository names
// (objects/XX/ under the staging dir): 256 directories, so the workers rarely create
// files in the same one (creation serializes per directory), and publishing moves
// whole directories.
import { hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, writevSync } from 'node:fs';
import { constants, deflateRawSync } from 'node:zlib';
import { looseObjectPath } from '../ostree/object-type.js';
import { collectGarbage } from '../threads/collect-garbage.js';
import { serveJobs } from '../threads/serve.js';
import { deflateLevel, looksIncompressible } from './deflate-level.js';
import { arenaRecords } from './object-arena.js';
import { libdeflateLevel, WholeDeflater } from './whole-deflate.js';

export interface ArenaJob {
  kind: 'arena';
  arena: ArrayBuffer;
  count: number;
  /** The repository: the worker skips objects it has already. */
  repoDir: string;
  /** Objects are staged at their repository paths under it (Transaction.stagedPath). */
  stagingDir: string;
  /** The repository's zlib level (libdeflateLevel maps it). */
  level: number;
}

export interface ArenaResult {
  /** The arena, handed back for reuse. */
  arena: ArrayBuffer;
  /** The records' checksums, 64 hex digits each, concatenated. */
  checksums: string;
  /** Per record: the bytes staged, or 0 when the repository had it or another writer is staging it. */
  staged: number[];
}

/**
 * One piece of a big file's deflate stream (pigz's scheme): a piece compressed with
 * the 32 KiB before it as its dictionary and ended by a sync flush (byte-aligned,
 * not final) joins the next piece's output into one valid raw deflate stream.
 */
export interface PieceJob {
  kind: 'piece';
  /** The piece is its first `length` bytes. */
  arena: ArrayBuffer;
  length: number;
  /** The 32 KiB of content before the piece (none for the first). */
  dictionary?: Uint8Array;
  /** The file's last piece ends the stream. */
  last: boolean;
  level: number;
}

export interface PieceResult {
  /** The piece's buffer, handed back for reuse. */
  arena: ArrayBuffer;
  /** Moved to the main thread, which frees it once written. */
  deflated: ArrayBuffer;
}

export type ObjectJob = ArenaJob | PieceJob;
export type ObjectResult = ArenaResult | PieceResult;

/** objects/XX directories this thread created under the staging dir. */
const madeDirs = new Set<string>();

const deflater = await WholeDeflater.load();

/**
 * What this thread allocates is mostly zlib's outputs for big files' pieces, which
 * die young: a young-generation GC (a small heap: cheap) every COLLECT_EVERY bytes
 * of output frees them before they pile up (peak RSS -20 to -40 MB on a 1.2 GB
 * commit, no slower).
 */
const COLLECT_EVERY = 1 << 20;
let outputSinceCollect = 0;

/** A young-generation GC once enough output has been dropped since the last one. */
function produced(bytes: number): void {
  outputSinceCollect += bytes;
  if (outputSinceCollect > COLLECT_EVERY) {
    outputSinceCollect = 0;
    collectGarbage('minor');
  }
}

function deflatePiece(job: PieceJob): PieceResult {
  const piece = Buffer.from(job.arena, 0, job.length);
  // Each piece is a deflate call of its own, so each may have its own level.
  const level = looksIncompressible(piece) ? 0 : job.level;
  const opts = { level, finishFlush: job.last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH };
  const out = deflateRawSync(piece, job.dictionary && level > 0 ? { ...opts, dictionary: job.dictionary } : opts);
  produced(out.length);
  // Only a whole ArrayBuffer can move: zlib's result may be a slice of a bigger one.
  const deflated = out.byteOffset === 0 && out.length === out.buffer.byteLength ? (out.buffer as ArrayBuffer) : new Uint8Array(out).buffer;
  return { arena: job.arena, deflated };
}

function writeArena(job: ArenaJob): ArenaResult {
  let checksums = '';
  const staged: number[] = [];
  for (const { archiveHeader, hashed, data } of arenaRecords(job.arena, job.count)) {
    const checksum = hash('sha256', hashed, 'hex');
    checksums += checksum;
    const path = looseObjectPath(checksum, 'file', 'archive');
    if (existsSync(`${job.repoDir}/${path}`)) {
      staged.push(0);
      continue;
    }
    const dir = `${job.stagingDir}/${path.slice(0, path.lastIndexOf('/'))}`;
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    let fd: number;
    try {
      // Exclusive: the same content in two arenas is deflated and written once.
      fd = openSync(`${job.stagingDir}/${path}`, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      staged.push(0);
      continue;
    }
    try {
      const body = deflater.deflate(data, libdeflateLevel(deflateLevel(data, job.level)));
      const written = writevSync(fd, [archiveHeader, body]);
      if (written !== archiveHeader.length + body.length) throw new Error(`short write staging an object (${written} bytes)`);
      staged.push(written);
    } finally {
      closeSync(fd);
    }
  }
  return { arena: job.arena, checksums, staged };
}

serveJobs((job: ObjectJob): ObjectResult => (job.kind === 'arena' ? writeArena(job) : deflatePiece(job)), (r) => ('deflated' in r ? [r.arena, r.deflated] : [r.arena]));
