// What clients read to find deltas (ostree 2022.7): the summary's
// "ostree.static-deltas" (delta name → sha256 of its superblock) and, because
// the summary also says "ostree.summary.indexed-deltas", one index file per
// target commit in delta-indexes/, which 2022.7 clients fetch instead
// (ostree_repo_static_delta_reindex). Both are rebuilt from deltas/ on every
// summary regeneration, so they can never disagree with what is on disk.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { encodeVariant, Variant, type VardictEntries } from '../gvariant/index.js';
import { deltaIndexPath, deltaName, modifiedBase64ToChecksum, type DeltaId } from '../ostree/delta-name.js';
import { writeFileAtomic } from '../repo/atomic-file.js';
import { readKeyFile, stringifyKeyFile } from '../repo/repo-config.js';
import type { Repo } from '../repo/repo.js';
import { listDeltas, superblockDigest } from './delta-store.js';

export const STATIC_DELTAS_KEY = 'ostree.static-deltas';

function deltaDigests(repo: Repo, deltas: DeltaId[]): VardictEntries {
  return deltas.map((id) => [deltaName(id), new Variant('ay', superblockDigest(repo, id))]);
}

/** The summary's "ostree.static-deltas" entry, or nothing when there are no deltas. */
export function staticDeltasSummaryEntry(repo: Repo): VardictEntries {
  const deltas = listDeltas(repo);
  return deltas.length === 0 ? [] : [[STATIC_DELTAS_KEY, new Variant('a{sv}', deltaDigests(repo, deltas))]];
}

/** Index files currently in delta-indexes/, as target checksums. */
function listIndexes(repo: Repo): string[] {
  const root = join(repo.path, 'delta-indexes');
  const out: string[] = [];
  let firsts: string[];
  try {
    firsts = readdirSync(root);
  } catch {
    return out;
  }
  for (const first of firsts) {
    if (first.length !== 2) continue;
    for (const name of readdirSync(join(root, first))) {
      if (!name.endsWith('.index') || name.length !== 41 + '.index'.length) continue;
      try {
        out.push(modifiedBase64ToChecksum(first + name.slice(0, 41)));
      } catch {
        /* not an index */
      }
    }
  }
  return out;
}

/** Rewrites delta-indexes/ to match deltas/: one a{sv} file per target commit. */
export function reindexDeltas(repo: Repo): void {
  const byTarget = new Map<string, DeltaId[]>();
  for (const id of listDeltas(repo)) byTarget.set(id.to, [...(byTarget.get(id.to) ?? []), id]);
  for (const to of listIndexes(repo)) {
    if (!byTarget.has(to)) rmSync(join(repo.path, deltaIndexPath(to)), { force: true });
  }
  for (const [to, deltas] of byTarget) {
    const bytes = encodeVariant('a{sv}', [[STATIC_DELTAS_KEY, new Variant('a{sv}', deltaDigests(repo, deltas))]]);
    const path = join(repo.path, deltaIndexPath(to));
    let current: Buffer | null = null;
    try {
      current = readFileSync(path);
    } catch {
      /* new index */
    }
    if (!current?.equals(bytes)) writeFileAtomic(path, bytes);
  }
  if (byTarget.size > 0) markIndexedDeltas(repo);
}

/** core.indexed-deltas=true tells clients without a summary to use the indexes (as ostree sets it). */
function markIndexedDeltas(repo: Repo): void {
  const file = join(repo.path, 'config');
  const config = readKeyFile(file);
  if (config.core?.['indexed-deltas'] === 'true') return;
  config.core = { ...config.core, 'indexed-deltas': 'true' };
  writeFileAtomic(file, stringifyKeyFile(config));
}
