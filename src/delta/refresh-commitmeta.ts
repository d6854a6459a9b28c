// A delta carries its to-commit's detached metadata as it was when the delta
// was made, and clients take signatures only from there. After (re-)signing a
// commit, the deltas leading to it get their superblock's copy replaced —
// parts stay as they are, the superblock is rewritten atomically.
import { readFileSync } from 'node:fs';
import { decodeVariant, Variant, type VardictEntries } from '../gvariant/index.js';
import { deltaCommitmetaKey } from '../ostree/delta-name.js';
import { encodeSuperblock } from '../ostree/delta-superblock.js';
import { vardictSet } from '../ostree/vardict.js';
import { writeFileAtomic } from '../repo/atomic-file.js';
import type { Repo } from '../repo/repo.js';
import { listDeltas, readSuperblock, superblockPath } from './delta-store.js';

/** Returns how many deltas were updated. */
export function refreshDeltaCommitmeta(repo: Repo, commit: string): number {
  let bytes: Buffer;
  try {
    bytes = readFileSync(repo.objectPath(commit, 'commitmeta'));
  } catch {
    return 0;
  }
  const detached = decodeVariant('a{sv}', bytes) as VardictEntries;
  let updated = 0;
  for (const id of listDeltas(repo)) {
    if (id.to !== commit) continue;
    const sb = readSuperblock(repo, id);
    const next = encodeSuperblock({ ...sb, metadata: vardictSet(sb.metadata, deltaCommitmetaKey(id), new Variant('a{sv}', detached)) });
    const path = superblockPath(repo, id);
    if (!next.equals(readFileSync(path))) {
      writeFileAtomic(path, next);
      updated++;
    }
  }
  return updated;
}
