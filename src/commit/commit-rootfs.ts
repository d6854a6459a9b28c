// `yocto-ostree commit`: rootfs tarball → tree → objects → commit → ref → summary,
// all inside one Transaction so that a failure leaves the repository as it was.
import { Variant, type VardictEntries } from '../gvariant/index.js';
import { UsageError } from '../errors.js';
import { encodeCommit } from '../ostree/commit.js';
import { isChecksum } from '../ostree/checksum.js';
import { sortedVardict } from '../ostree/vardict.js';
import type { Repo } from '../repo/repo.js';
import { regenerateSummary } from '../repo/summary-writer.js';
import { Transaction } from '../repo/transaction.js';
import type { Tree } from '../tree/tree.js';
import { ContentWriter, type ObjectWorkers } from './content-writer.js';
import { createPrepareContext, type PrepareContext } from './prepare-context.js';
import { ingestTarball, type IngestCounts, type IngestProgress } from './ingest-tarball.js';
import { writeTree } from './write-tree.js';

export interface CommitOptions {
  rootfs: string;
  branch: string;
  subject?: string;
  body?: string;
  version?: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Extra string metadata, in addition to ostree.ref-binding and version. */
  metadata?: [string, string][];
  /** 'auto' = the branch's current head. */
  parent?: 'auto' | 'none' | string;
  skipIfUnchanged?: boolean;
  /** Edits the tree before it is written (the preparation steps). */
  prepare?: (tree: Tree, ctx: PrepareContext) => Promise<Record<string, string | boolean>> | Record<string, string | boolean>;
  onProgress?: (p: IngestProgress) => void;
  /** Signing, static deltas and the summary signature, in the order they depend on each other. */
  hooks?: CommitHooks;
  /** startObjectWorkers(); the commit closes them once the content is written, or when it fails. */
  workers: ObjectWorkers;
}

export interface CommitHooks {
  /** After the commit is staged, before anything is published: sign it (commitmeta is published before its commit). */
  beforePublish?: (tx: Transaction, commit: string) => Promise<void>;
  /**
   * After the objects are published, before the ref moves: static deltas (they embed
   * the signatures). A run killed here leaves the ref where it was.
   */
  afterPublish?: (tx: Transaction, commit: string) => Promise<void>;
  /** After the summary is rewritten: its signature. */
  afterSummary?: (repo: Repo) => Promise<void>;
}

export interface CommitResult {
  commit: string;
  ref: string;
  parent: string | null;
  /** True when --skip-if-unchanged found the same tree as the parent's: nothing written. */
  unchanged: boolean;
  counts: IngestCounts;
  skippedPaths: string[];
  bytesRead: number;
  contentBytes: number;
  bytesWritten: number;
  newObjects: number;
  seconds: number;
}

function resolveParent(repo: Repo, branch: string, parent: CommitOptions['parent']): string | null {
  if (parent === undefined || parent === 'auto') return repo.readRef(branch);
  if (parent === 'none') return null;
  if (!isChecksum(parent)) throw new UsageError(`--parent must be auto, none or a full 64-character checksum, not "${parent}"`);
  return repo.resolveRev(parent);
}

function commitMetadata(opts: CommitOptions, extra: Record<string, string | boolean>): VardictEntries {
  const entries = new Map<string, Variant>();
  for (const [k, v] of opts.metadata ?? []) {
    if (k === '') throw new UsageError('metadata keys must not be empty');
    entries.set(k, new Variant('s', v));
  }
  for (const [k, v] of Object.entries(extra)) entries.set(k, new Variant(typeof v === 'boolean' ? 'b' : 's', v));
  if (opts.version !== undefined) entries.set('version', new Variant('s', opts.version));
  // As `ostree commit -b REF` does: bind the commit to its branch.
  entries.set('ostree.ref-binding', new Variant('as', [opts.branch]));
  return sortedVardict([...entries]);
}

export async function commitRootfs(repo: Repo, opts: CommitOptions): Promise<CommitResult> {
  const started = process.hrtime.bigint();
  const tx = Transaction.begin(repo);
  let writer: ContentWriter | undefined;
  try {
    const parent = resolveParent(repo, opts.branch, opts.parent);
    writer = new ContentWriter(tx, opts.workers);
    const ingested = await ingestTarball(opts.rootfs, writer, opts.onProgress);
    await writer.close();
    const extraMetadata = opts.prepare ? await opts.prepare(ingested.tree, createPrepareContext(tx)) : {};
    const root = writeTree(tx, ingested.tree.root);
    const base = {
      ref: opts.branch,
      parent,
      counts: ingested.counts,
      skippedPaths: ingested.skippedPaths,
      bytesRead: ingested.bytesRead,
      contentBytes: writer.contentBytes,
    };
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;

    if (opts.skipIfUnchanged && parent) {
      const head = repo.readCommit(parent);
      if (head.rootTree === root.tree && head.rootMeta === root.meta) {
        return { ...base, commit: parent, unchanged: true, bytesWritten: 0, newObjects: 0, seconds: seconds() };
      }
    }
    const commit = tx.writeMetadata(
      'commit',
      encodeCommit({
        metadata: commitMetadata(opts, extraMetadata),
        parent,
        subject: opts.subject ?? '',
        body: opts.body ?? '',
        timestamp: opts.timestamp,
        rootTree: root.tree,
        rootMeta: root.meta,
      }),
    );
    const { newObjects, bytesWritten } = tx;
    await opts.hooks?.beforePublish?.(tx, commit);
    await tx.publish();
    await opts.hooks?.afterPublish?.(tx, commit);
    tx.setRef(opts.branch, commit);
    regenerateSummary(repo);
    await opts.hooks?.afterSummary?.(repo);
    return { ...base, commit, unchanged: false, bytesWritten, newObjects, seconds: seconds() };
  } finally {
    await writer?.close();
    tx.release();
  }
}
