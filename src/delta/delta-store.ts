// Static deltas on disk: deltas/XX/REST/{superblock,0,1,…}. Listing follows
// ostree_repo_list_static_delta_names (a directory counts once it holds a
// superblock); installing renames a complete staged directory into place so
// deltas/ never holds a partial delta.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NotFoundError, RepoFormatError } from '../errors.js';
import { deltaDir, deltaIdFromDir, deltaName, type DeltaId } from '../ostree/delta-name.js';
import { parseSuperblock, type DeltaSuperblock } from '../ostree/delta-superblock.js';
import { fsyncDir } from '../repo/atomic-file.js';
import type { Repo } from '../repo/repo.js';

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every delta in the repository, sorted by name. */
export function listDeltas(repo: Repo): DeltaId[] {
  const root = join(repo.path, 'deltas');
  if (!isDir(root)) return [];
  const out: DeltaId[] = [];
  for (const first of readdirSync(root)) {
    if (first.length !== 2 || !isDir(join(root, first))) continue;
    for (const second of readdirSync(join(root, first))) {
      if (!existsSync(join(root, first, second, 'superblock'))) continue;
      const id = deltaIdFromDir(first, second);
      if (id) out.push(id);
    }
  }
  return out.sort((a, b) => (deltaName(a) < deltaName(b) ? -1 : 1));
}

export function superblockPath(repo: Repo, id: DeltaId): string {
  return join(repo.path, deltaDir(id), 'superblock');
}

/** sha256 of the superblock file: what summaries and delta indexes publish. */
export function superblockDigest(repo: Repo, id: DeltaId): Buffer {
  return createHash('sha256').update(readFileSync(superblockPath(repo, id))).digest();
}

export function readSuperblock(repo: Repo, id: DeltaId): DeltaSuperblock {
  let bytes: Buffer;
  try {
    bytes = readFileSync(superblockPath(repo, id));
  } catch {
    throw new NotFoundError(`static delta ${deltaName(id)} is not in ${repo.path}`);
  }
  try {
    return parseSuperblock(bytes);
  } catch (e) {
    throw new RepoFormatError(`static delta ${deltaName(id)} in ${repo.path} has a corrupt superblock: ${(e as Error).message}`);
  }
}

/**
 * Moves a complete delta directory (staged on the same filesystem, under tmp/)
 * into place, replacing an existing delta of the same name.
 */
export function installDelta(repo: Repo, id: DeltaId, stagedDir: string): void {
  const dest = join(repo.path, deltaDir(id));
  mkdirSync(dirname(dest), { recursive: true });
  const old = `${stagedDir}.replaced`;
  const replacing = existsSync(dest);
  if (replacing) renameSync(dest, old);
  renameSync(stagedDir, dest);
  fsyncDir(dirname(dest));
  if (replacing) rmSync(old, { recursive: true, force: true });
}

export function deleteDelta(repo: Repo, id: DeltaId): void {
  const dir = join(repo.path, deltaDir(id));
  rmSync(dir, { recursive: true, force: true });
  // Drop the two-character directory once empty, as ostree leaves none behind.
  try {
    if (readdirSync(dirname(dir)).length === 0) rmSync(dirname(dir), { recursive: true });
  } catch {
    /* already gone */
  }
}
