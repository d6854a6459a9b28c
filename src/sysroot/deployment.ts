// ostree/deploy/<os>/deploy/<commit>.<serial>: the checkout of the commit as
// `ostree admin deploy` leaves it (ostree-format.md §8.3). Files and symlinks are
// hardlinks of the bare repo's objects, but empty files are copies (checkout never
// hardlinks zero-sized files, against EMLINK); directories get their dirmeta with mtime 0
// (checkout's OSTREE_TIMESTAMP); etc/ is a force-copy checkout of usr/etc; the root
// is immutable (chattr +i, surprise #7) and `<dir>.origin` names the refspec.
import { KeyFileText } from './keyfile-text.js';
import { OSTREE_TIMESTAMP } from './bare-repo.js';
import { copySubtree } from './subtree-copy.js';
import { hardlink, rootFile, type FileEntry, type SymlinkEntry, type SysrootEntry } from './sysroot-entry.js';
import { SysrootError, type SysrootOptions } from './sysroot-options.js';
import type { Tree } from '../tree/tree.js';

export function deploymentDir(osname: string, commit: string, serial: number): string {
  return `ostree/deploy/${osname}/deploy/${commit}.${serial}`;
}

/**
 * prepare_deployment_etc renames a tree's /etc to /usr/etc when there is no
 * /usr/etc, but then checks out /usr/etc from the commit, which has none: 2022.7
 * fails ("Preparing /etc: No such file or directory: /usr/etc"). Refused the same
 * way here, before anything is written.
 */
export function checkEtc(commit: string, tree: Tree): void {
  const etc = tree.lookup('etc');
  if (etc === undefined) return;
  if (tree.lookup('usr/etc')) throw new SysrootError(`commit ${commit} contains both /etc and /usr/etc; ostree admin deploy refuses that`);
  throw new SysrootError(`commit ${commit} has /etc but no /usr/etc; ostree admin deploy (2022.7) fails on it: commit with preparation (it moves /etc to /usr/etc)`);
}

export function originText(opts: Pick<SysrootOptions, 'remote' | 'branch'>): string {
  return new KeyFileText().set('origin', 'refspec', `${opts.remote}:${opts.branch}`).toString();
}

export interface Deployment {
  entries: SysrootEntry[];
  /** Tree path → the inode the deployment holds there (an object, or a copy). */
  inodes: Map<string, FileEntry | SymlinkEntry>;
}

export function deploymentEntries(
  commit: string,
  tree: Tree,
  objects: ReadonlyMap<string, FileEntry | SymlinkEntry>,
  opts: SysrootOptions,
  serial: number,
): Deployment {
  const dir = deploymentDir(opts.osname, commit, serial);
  const root = tree.root.meta;
  const entries: SysrootEntry[] = [
    // Modified after the checkout (etc/ created in it), hence not OSTREE_TIMESTAMP.
    { kind: 'dir', path: dir, uid: root.uid, gid: root.gid, perms: root.mode & 0o7777, xattrs: root.xattrs, mtime: opts.epoch, immutable: true },
  ];
  const inodes = new Map<string, FileEntry | SymlinkEntry>();
  for (const [path, node] of tree.walk()) {
    if (node.kind === 'dir') {
      const { uid, gid, mode, xattrs } = node.meta;
      entries.push({ kind: 'dir', path: `${dir}/${path}`, uid, gid, perms: mode & 0o7777, xattrs, mtime: OSTREE_TIMESTAMP });
      continue;
    }
    const object = objects.get(node.checksum)!;
    if (object.kind === 'file' && object.size === 0) {
      const copy: FileEntry = { ...object, path: `${dir}/${path}`, mtime: opts.epoch };
      entries.push(copy);
      inodes.set(path, copy);
    } else {
      entries.push(hardlink(`${dir}/${path}`, object));
      inodes.set(path, object);
    }
  }
  const usrEtc = tree.lookup('usr/etc');
  if (usrEtc !== undefined) {
    if (usrEtc.kind !== 'dir') throw new SysrootError(`commit ${commit}: /usr/etc is not a directory`);
    entries.push(...copySubtree(usrEtc, `${dir}/etc`, { created: opts.epoch, files: opts.epoch }));
  }
  entries.push(rootFile(`${dir}.origin`, originText(opts), opts.epoch));
  return { entries, inodes };
}
