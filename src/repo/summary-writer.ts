// Regenerates `summary` as ostree 2022.7's `ostree summary -u` does (no indexed
// summaries). last-modified is the newest commit time rather than "now", so that
// the same commits always give the same summary bytes. Static deltas are listed
// from deltas/ (and delta-indexes/ rebuilt) on every regeneration, as ostree does.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Variant, type VardictEntries } from '../gvariant/index.js';
import { swap64 } from '../ostree/byte-order.js';
import { encodeSummary, type SummaryRef } from '../ostree/summary.js';
import { sortedVardict, vardictGet } from '../ostree/vardict.js';
import { parseCommit } from '../ostree/commit.js';
import { modeToConfig } from './repo-config.js';
import { writeFileAtomic } from './atomic-file.js';
import { reindexDeltas, staticDeltasSummaryEntry } from '../delta/delta-index.js';
import type { Repo } from './repo.js';

/** Extra summary metadata (e.g. the static-delta list), merged in by key. */
export type SummaryExtras = VardictEntries;

export function regenerateSummary(repo: Repo, extras: SummaryExtras = []): Buffer {
  const refs: SummaryRef[] = [];
  let newest = 0;
  for (const [name, checksum] of repo.listRefs()) {
    const bytes = repo.readMetadata(checksum, 'commit');
    const commit = parseCommit(bytes);
    const version = vardictGet(commit.metadata, 'version');
    refs.push({ name, commit: checksum, commitSize: bytes.length, timestamp: commit.timestamp, ...(typeof version === 'string' ? { version } : {}) });
    newest = Math.max(newest, commit.timestamp);
  }
  const metadata = sortedVardict([
    ['ostree.summary.last-modified', new Variant('t', swap64(BigInt(newest)))],
    ['ostree.summary.mode', new Variant('s', modeToConfig(repo.mode))],
    ['ostree.summary.tombstone-commits', new Variant('b', repo.config.core?.['tombstone-commits'] === 'true')],
    ['ostree.summary.indexed-deltas', new Variant('b', true)],
    ...staticDeltasSummaryEntry(repo),
    ...extras,
  ]);
  reindexDeltas(repo);
  const bytes = encodeSummary({ refs, metadata });
  writeFileAtomic(join(repo.path, 'summary'), bytes);
  // A new summary invalidates its old signature, as in ostree.
  rmSync(join(repo.path, 'summary.sig'), { force: true });
  return bytes;
}
