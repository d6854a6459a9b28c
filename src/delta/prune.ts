// `yocto-ostree prune --keep N`: keeps the newest N commits of every branch
// (like `ostree prune --refs-only --depth=N-1`), deletes every object they do
// not reach and every delta from or to a deleted commit. Runs under the repo
// lock; the caller regenerates the summary (which re-indexes the deltas).
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeVariant, Variant } from '../gvariant/index.js';
import { UsageError } from '../errors.js';
import { isChecksum } from '../ostree/checksum.js';
import { deltaName } from '../ostree/delta-name.js';
import { writeFileAtomic } from '../repo/atomic-file.js';
import type { Transaction } from '../repo/transaction.js';
import { deleteDelta, listDeltas } from './delta-store.js';
import { ReachableObjects } from './reachable.js';

export interface PruneReport {
  /** Commits kept, over all branches. */
  kept: number;
  deletedCommits: string[];
  /** Objects deleted, commits included. */
  deletedObjects: number;
  freedBytes: number;
  deletedDeltas: string[];
}

/** Each branch's head and its ancestors, `keep` commits at most; history ends where a parent is missing. */
function keptCommits(tx: Transaction, keep: number): Set<string> {
  const kept = new Set<string>();
  for (const head of tx.repo.listRefs().values()) {
    let commit: string | null = head;
    for (let n = 0; commit && n < keep && tx.repo.hasObject(commit, 'commit'); n++) {
      kept.add(commit);
      commit = tx.repo.readCommit(commit).parent;
    }
  }
  return kept;
}

export function pruneRepo(tx: Transaction, keep: number, dryRun = false): PruneReport {
  if (!Number.isInteger(keep) || keep < 1) throw new UsageError(`--keep must be a whole number of commits, at least 1 (got ${keep})`);
  const repo = tx.repo;
  const kept = keptCommits(tx, keep);
  const reached = new ReachableObjects(repo);
  for (const c of kept) reached.addCommit(c);

  const keepObject = (checksum: string, ext: string): boolean => {
    switch (ext) {
      case 'commit':
      case 'commitmeta':
        return kept.has(checksum);
      case 'dirtree':
        return reached.dirtrees.has(checksum);
      case 'dirmeta':
        return reached.dirmetas.has(checksum);
      case 'file':
      case 'filez':
        return reached.files.has(checksum);
      default:
        return true; // tombstones and anything we do not know
    }
  };

  const report: PruneReport = { kept: kept.size, deletedCommits: [], deletedObjects: 0, freedBytes: 0, deletedDeltas: [] };
  const objects = join(repo.path, 'objects');
  for (const prefix of readdirSync(objects)) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of readdirSync(join(objects, prefix))) {
      const dot = name.indexOf('.');
      const checksum = prefix + name.slice(0, dot);
      const ext = name.slice(dot + 1);
      if (dot < 0 || !isChecksum(checksum) || keepObject(checksum, ext)) continue;
      const path = join(objects, prefix, name);
      report.freedBytes += statSync(path).size;
      report.deletedObjects++;
      if (ext === 'commit') report.deletedCommits.push(checksum);
      if (!dryRun) rmSync(path, { force: true });
    }
  }

  for (const id of listDeltas(repo)) {
    if (kept.has(id.to) && (id.from === null || kept.has(id.from))) continue;
    report.deletedDeltas.push(deltaName(id));
    if (!dryRun) deleteDelta(repo, id);
  }

  if (!dryRun) {
    for (const commit of report.deletedCommits) {
      rmSync(join(repo.path, 'state', `${commit}.commitpartial`), { force: true });
      // As ostree does with core.tombstone-commits: clients then accept the missing parent.
      if (repo.config.core?.['tombstone-commits'] === 'true') {
        writeFileAtomic(repo.objectPath(commit, 'tombstone-commit'), encodeVariant('a{sv}', [['commit', new Variant('ay', Buffer.from(`${commit}\0`))]]));
      }
    }
  }
  return report;
}
