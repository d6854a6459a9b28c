// `yocto-ostree delta`: builds one static delta as ostree 2022.7 clients read
// it (plan → parts → superblock), staged under the transaction's tmp/ and
// renamed into deltas/ only once complete. The superblock carries the
// to-commit and its detached metadata (signatures) as they are now: sign first.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVariant, Variant, type VardictEntries } from '../gvariant/index.js';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { sha256Hex } from '../ostree/checksum.js';
import { deltaCommitmetaKey, deltaDir, deltaName, deltaPartPath, type DeltaId } from '../ostree/delta-name.js';
import { DELTA_PART_VERSION, encodeSuperblock, type DeltaPartHeader } from '../ostree/delta-superblock.js';
import { parseCommit } from '../ostree/commit.js';
import { writeFileAtomic } from '../repo/atomic-file.js';
import type { Transaction } from '../repo/transaction.js';
import { installDelta } from './delta-store.js';
import { packDelta, type BuiltPart, type Contribution, type SendMethod } from './pack.js';
import { PatchPool } from './patch-pool.js';
import { planDelta, type DeltaLimits } from './plan.js';

/** ostree's defaults (static-delta generate), in bytes, decimal megabytes as ostree counts. */
export const DELTA_DEFAULTS = { maxChunkSize: 32_000_000, minFallbackSize: 4_000_000, maxBsdiffSize: 128_000_000 };
/** OSTREE_MAX_METADATA_SIZE: clients refuse bigger superblocks. */
const MAX_SUPERBLOCK = 10 * 1024 * 1024;
const BIGGEST = 10;

export interface DeltaOptions extends Partial<DeltaLimits> {
  from: string | null;
  to: string;
  maxChunkSize?: number;
  /** Put the parts inside the superblock (one file per delta). */
  inline?: boolean;
}

export interface DeltaReport {
  name: string;
  from: string | null;
  to: string;
  /** Relative to the repository. */
  path: string;
  /** Superblock plus separate parts: the bytes under deltas/. */
  size: number;
  superblockSize: number;
  /** Loose objects a client fetches besides the delta (fallbacks). */
  fallbackSize: number;
  parts: { index: number; size: number; usize: number; objects: number; compression: 'xz' | 'none'; inline: boolean }[];
  objects: Record<SendMethod, number> & { unchanged: number };
  /** The objects that cost most, with their estimated share of the transfer. */
  biggest: { path: string; how: SendMethod; bytes: number }[];
  seconds: number;
}

function readDetachedMetadata(tx: Transaction, commit: string): VardictEntries | null {
  try {
    return decodeVariant('a{sv}', readFileSync(tx.objectPath(commit, 'commitmeta'))) as VardictEntries;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Each object's bytes scaled by its part's compression ratio: an estimate of what it costs on the wire. */
function biggest(contributions: Contribution[], parts: BuiltPart[]): DeltaReport['biggest'] {
  const ratio = (i: number | null): number => (i === null || parts[i].payloadSize === 0 ? 1 : parts[i].file.length / parts[i].payloadSize);
  return contributions
    .map((c) => ({ path: c.path, how: c.how, bytes: Math.round(c.bytes * ratio(c.part)) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, BIGGEST);
}

export async function generateDelta(tx: Transaction, opts: DeltaOptions): Promise<DeltaReport> {
  const started = process.hrtime.bigint();
  const repo = tx.repo;
  if (repo.mode !== 'archive') throw new UsageError(`static deltas are generated from archive repositories, not ${repo.mode}`);
  const id: DeltaId = { from: opts.from, to: opts.to };
  if (opts.from === opts.to) throw new UsageError('a delta needs two different commits');
  for (const c of [opts.to, opts.from]) {
    if (c && !tx.has(c, 'commit')) throw new NotFoundError(`commit ${c} is not in ${repo.path}`);
  }
  const commitBytes = readFileSync(tx.objectPath(opts.to, 'commit'));
  if (sha256Hex(commitBytes) !== opts.to) throw new RepoFormatError(`commit ${opts.to} in ${repo.path} is corrupt`);
  const limits: DeltaLimits = {
    minFallbackSize: opts.minFallbackSize ?? DELTA_DEFAULTS.minFallbackSize,
    maxBsdiffSize: opts.maxBsdiffSize ?? DELTA_DEFAULTS.maxBsdiffSize,
    bsdiff: opts.bsdiff ?? true,
  };

  const pool = new PatchPool();
  let packed;
  let plan;
  try {
    plan = planDelta(repo, opts.from, opts.to, limits, pool);
    packed = await packDelta(repo, plan, opts.maxChunkSize ?? DELTA_DEFAULTS.maxChunkSize, limits.minFallbackSize);
  } finally {
    await pool.close();
  }

  const staged = tx.newTempPath();
  mkdirSync(staged);
  const metadata: VardictEntries = [];
  const headers: DeltaPartHeader[] = packed.parts.map((p, i) => {
    if (opts.inline) metadata.push([deltaPartPath(id, i), new Variant('(yay)', [p.file[0], p.file.subarray(1)])]);
    else writeFileAtomic(join(staged, String(i)), p.file);
    return { version: DELTA_PART_VERSION, checksum: sha256Hex(p.file), size: p.file.length, usize: p.usize, objects: p.objects };
  });
  const detached = readDetachedMetadata(tx, opts.to);
  if (detached) metadata.push([deltaCommitmetaKey(id), new Variant('a{sv}', detached)]);
  const superblock = encodeSuperblock({
    metadata,
    // The commit's own time, not "now": the same commits give the same delta.
    timestamp: parseCommit(commitBytes).timestamp,
    from: opts.from,
    to: opts.to,
    commit: commitBytes,
    parts: headers,
    fallbacks: packed.fallbacks,
  });
  if (superblock.length > MAX_SUPERBLOCK) {
    throw new UsageError(`the delta's superblock would be ${superblock.length} bytes, more than clients accept (${MAX_SUPERBLOCK})${opts.inline ? '; do not inline the parts' : ''}`);
  }
  writeFileAtomic(join(staged, 'superblock'), superblock);
  installDelta(repo, id, staged);

  const parts = packed.parts.map((p, index) => ({ index, size: p.file.length, usize: p.usize, objects: p.objects.length, compression: p.compression, inline: Boolean(opts.inline) }));
  const objects = { metadata: 0, symlink: 0, whole: 0, bsdiff: 0, fallback: 0, unchanged: plan.unchanged };
  for (const c of packed.contributions) objects[c.how]++;
  return {
    name: deltaName(id),
    from: opts.from,
    to: opts.to,
    path: deltaDir(id),
    size: superblock.length + (opts.inline ? 0 : parts.reduce((n, p) => n + p.size, 0)),
    superblockSize: superblock.length,
    fallbackSize: packed.fallbacks.reduce((n, f) => n + f.size, 0),
    parts,
    objects,
    biggest: biggest(packed.contributions, packed.parts),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}
