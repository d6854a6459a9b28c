// Step "rootdirs": the top-level directories that hold device state become symlinks
// into /var (home, opt, mnt, media, srv → var/rootdirs/*, root → var/roothome,
// usr/local → ../var/usrlocal), /sysroot is where the physical root is mounted, and
// /ostree points into it. meta-updater's 00ostree-tmpfiles.conf set, with meta-lmp's
// var/rootdirs/home line (without it /home dangles on a fresh stateroot).
import type { PrepareContext } from '../commit/prepare-context.js';
import { isSymlink } from '../ostree/validate.js';
import type { Tree } from '../tree/tree.js';
import { reportDroppedFiles, type PrepareReport } from './report.js';
import { dirEntry, type TmpfilesEntry } from './tmpfiles-format.js';
import { regularFilesUnder, ROOT_DIR_META } from './tree-paths.js';

const STEP = 'rootdirs';
const PERSISTENT_DIRS = ['home', 'opt', 'mnt', 'media', 'srv'];
const USR_LOCAL_DIRS = ['bin', 'etc', 'games', 'include', 'lib', 'man', 'sbin', 'share', 'src'];

/** Path → symlink target, in the order meta-updater makes them. */
export const ROOT_SYMLINKS: [string, string][] = [
  ['ostree', 'sysroot/ostree'],
  ...PERSISTENT_DIRS.map((d): [string, string] => [d, `var/rootdirs/${d}`]),
  ['root', 'var/roothome'],
  ['usr/local', '../var/usrlocal'],
];

/** What the symlink targets need in /var, in meta-updater's order and modes. */
export const ROOTDIRS_TMPFILES: readonly TmpfilesEntry[] = [
  dirEntry('/var/rootdirs', 0o755),
  ...PERSISTENT_DIRS.map((d) => dirEntry(`/var/rootdirs/${d}`, 0o755)),
  dirEntry('/var/roothome', 0o700),
  dirEntry('/var/usrlocal', 0o755),
  ...USR_LOCAL_DIRS.map((d) => dirEntry(`/var/usrlocal/${d}`, 0o755)),
];

export interface RootdirsOptions {
  strict?: boolean;
}

/** Removes what is at `path`, returning the regular files that were under it. */
function clear(tree: Tree, path: string): string[] {
  const node = tree.lookup(path);
  if (!node) return [];
  tree.remove(path);
  return regularFilesUnder(tree, path, node);
}

export function linkRootDirs(tree: Tree, ctx: PrepareContext, opts: RootdirsOptions, report: PrepareReport): readonly TmpfilesEntry[] {
  const strict = opts.strict ?? false;
  const sysroot = tree.lookup('sysroot');
  if (sysroot?.kind !== 'dir' || sysroot.children.size > 0) {
    const dropped = clear(tree, 'sysroot');
    reportDroppedFiles(report, strict, STEP, '/sysroot', dropped, 'the physical root is mounted over it on the device');
    tree.ensureDir('sysroot', ROOT_DIR_META);
  }
  for (const [path, target] of ROOT_SYMLINKS) {
    const node = tree.lookup(path);
    if (node?.kind === 'file' && isSymlink(node.meta.mode) && node.meta.symlinkTarget === target) continue;
    const dropped = clear(tree, path);
    reportDroppedFiles(report, strict, STEP, `/${path}`, dropped, `it is now a symlink to ${target}, whose content is per-device state`);
    tree.setFile(path, ctx.newSymlink(target), ROOT_DIR_META);
  }
  return ROOTDIRS_TMPFILES;
}
