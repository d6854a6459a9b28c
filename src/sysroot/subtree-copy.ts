// Copies (not hardlinks) of a commit subtree: /etc from usr/etc (a force-copy
// checkout), the dtb/ directory in /boot (copy_dir_recurse) and /var/local in the
// stateroot (meta-updater's cp -a). New inodes with the same owners, modes and
// xattrs; only the regular files' mtime differs between the callers.
import { compareNames } from '../ostree/dirtree.js';
import { isSymlink } from '../ostree/validate.js';
import type { DirNode, FileNode } from '../tree/tree.js';
import { type DirEntry, type FileEntry, type SymlinkEntry, SYMLINK_PERMS } from './sysroot-entry.js';

export interface CopyTimes {
  /** mtime of the copied directories and symlinks (created now). */
  created: number;
  /** mtime of the copied regular files: `created`, or the source's (glnx_file_copy_at keeps it). */
  files: number | ((node: FileNode) => number);
}

/** The directory itself at `to`, then everything under it, parents first. */
export function copySubtree(dir: DirNode, to: string, times: CopyTimes): (DirEntry | FileEntry | SymlinkEntry)[] {
  const out: (DirEntry | FileEntry | SymlinkEntry)[] = [];
  const visit = (node: DirNode, path: string): void => {
    const { uid, gid, mode, xattrs } = node.meta;
    out.push({ kind: 'dir', path, uid, gid, perms: mode & 0o7777, xattrs, mtime: times.created });
    for (const name of [...node.children.keys()].sort(compareNames)) {
      const child = node.children.get(name)!;
      const childPath = `${path}/${name}`;
      if (child.kind === 'dir') {
        visit(child, childPath);
        continue;
      }
      const m = child.meta;
      if (isSymlink(m.mode)) {
        out.push({ kind: 'symlink', path: childPath, uid: m.uid, gid: m.gid, perms: SYMLINK_PERMS, xattrs: m.xattrs, mtime: times.created, target: m.symlinkTarget });
      } else {
        out.push({ kind: 'file', path: childPath, uid: m.uid, gid: m.gid, perms: m.mode & 0o7777, xattrs: m.xattrs, mtime: typeof times.files === 'number' ? times.files : times.files(child), size: child.size, content: { object: child.checksum } });
      }
    }
  };
  visit(dir, to);
  return out;
}
