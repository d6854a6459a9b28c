// ostree/repo of the device as `ostree admin init-fs` creates it and pull-local
// fills it (ostree-format.md §3.3): a bare repository whose content objects are the
// files themselves, with their real owners, modes and xattrs, regular files at
// mtime 0 (OSTREE_TIMESTAMP), symlinks as real symlinks; metadata objects 0644.
import type { FileMeta } from '../ostree/file-header.js';
import { looseObjectPath } from '../ostree/object-type.js';
import { isSymlink } from '../ostree/validate.js';
import type { CommitTree } from './commit-tree.js';
import { rootDir, rootFile, type FileEntry, type SymlinkEntry, type SysrootEntry } from './sysroot-entry.js';

export const REPO_DIR = 'ostree/repo';

/** ostree's fixed mtime for bare content objects and checked-out directories. */
export const OSTREE_TIMESTAMP = 0;

export interface BareRepo {
  entries: SysrootEntry[];
  /** Content object checksum → its entry, for the hardlinks of the deployment and /boot. */
  objects: Map<string, FileEntry | SymlinkEntry>;
}

export interface Ref {
  /** Under refs/, e.g. heads/ostree/1/1/0 or remotes/<remote>/<branch>. */
  name: string;
  checksum: string;
}

/** Directories leading to each ref file, once each, parents first. */
function refDirs(refs: readonly Ref[]): string[] {
  const dirs = new Set<string>();
  for (const ref of refs) {
    const parts = ref.name.split('/');
    for (let i = 2; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs];
}

function objectEntry(path: string, checksum: string, obj: { meta: FileMeta; size: number }, epoch: number): FileEntry | SymlinkEntry {
  const { uid, gid, mode, xattrs, symlinkTarget } = obj.meta;
  if (isSymlink(mode)) return { kind: 'symlink', path, uid, gid, perms: 0o777, xattrs, mtime: epoch, target: symlinkTarget };
  return { kind: 'file', path, uid, gid, perms: mode & 0o7777, xattrs, mtime: OSTREE_TIMESTAMP, size: obj.size, content: { object: checksum } };
}

export function bareRepoEntries(ct: CommitTree, config: string, refs: readonly Ref[], epoch: number): BareRepo {
  const at = (p: string): string => `${REPO_DIR}/${p}`;
  const objects = new Map<string, FileEntry | SymlinkEntry>();
  const objectFiles: SysrootEntry[] = [];
  for (const m of ct.metadata) objectFiles.push(rootFile(at(looseObjectPath(m.checksum, m.type, 'bare')), m.bytes, epoch));
  for (const [checksum, obj] of ct.contentObjects) {
    const entry = objectEntry(at(looseObjectPath(checksum, 'file', 'bare')), checksum, obj, epoch);
    objects.set(checksum, entry);
    objectFiles.push(entry);
  }
  const prefixes = [...new Set(objectFiles.map((e) => e.path.slice(at('objects/').length, at('objects/').length + 2)))];

  const entries: SysrootEntry[] = [
    rootDir(REPO_DIR, epoch),
    rootFile(at('.lock'), '', epoch, 0o640),
    rootFile(at('config'), config, epoch),
    rootDir(at('extensions'), epoch),
    rootDir(at('objects'), epoch),
    ...prefixes.map((p) => rootDir(at(`objects/${p}`), epoch)),
    ...objectFiles,
    rootDir(at('refs'), epoch),
    rootDir(at('refs/heads'), epoch),
    rootDir(at('refs/mirrors'), epoch),
    rootDir(at('refs/remotes'), epoch),
    ...refDirs(refs).map((d) => rootDir(at(`refs/${d}`), epoch)),
    ...refs.map((r) => rootFile(at(`refs/${r.name}`), `${r.checksum}\n`, epoch)),
    rootDir(at('state'), epoch),
    rootDir(at('tmp'), epoch),
    rootDir(at('tmp/cache'), epoch),
  ];
  return { entries, objects };
}
