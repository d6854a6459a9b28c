// Which kernel `ostree admin deploy` (2022.7) will take from a tree, and its bootcsum:
// get_kernel_from_tree and its two lookups (ostree-sysroot-deploy.c) replayed on the
// tree model. Preparation checks its result against what it placed, so a tree that
// ostree would read differently (a stale legacy kernel, two kernel versions) never
// gets committed. Where ostree depends on readdir order, two candidates are an error.
import type { FileNode, Tree } from '../tree/tree.js';
import { bootcsum, checksumSuffix, dtbDirFilesInOstreeOrder } from './bootcsum.js';
import type { KernelLayout } from './kernel-options.js';
import { PrepareError } from './prepare-error.js';
import { childNames, regularFileAt, resolveInTree } from './tree-paths.js';

export interface OstreeKernel {
  layout: KernelLayout;
  /** The directory ostree reads: usr/lib/modules/<kver>, usr/lib/ostree-boot or boot. */
  dir: string;
  /** Modern layout only: the usr/lib/modules directory name. */
  kver?: string;
  kernel: string;
  initramfs?: string;
  /** A devicetree file, or a dtb/ directory (then `devicetreeIsDir`). */
  devicetree?: string;
  devicetreeIsDir: boolean;
  bootcsum: string;
}

export type ReadFile = (node: FileNode) => Buffer;

export const MODULES_DIR = 'usr/lib/modules';
/** Where ostree looks for the legacy layout: the first of these that exists. */
export const LEGACY_DIRS = ['usr/lib/ostree-boot', 'boot'];

/** usr/lib/modules/<kver> directories holding a regular vmlinuz (symlinks followed, as fstatat(0)). */
export function modulesKernelDirs(tree: Tree): string[] {
  return childNames(tree, MODULES_DIR)
    .map((name) => `${MODULES_DIR}/${name}`)
    .filter((dir) => tree.lookup(dir)?.kind === 'dir' && regularFileAt(tree, `${dir}/vmlinuz`));
}

function modernLayout(tree: Tree, read: ReadFile): OstreeKernel | undefined {
  const dirs = modulesKernelDirs(tree);
  if (dirs.length === 0) return undefined;
  if (dirs.length > 1) throw new PrepareError('kernel', `${dirs.map((d) => `${d}/vmlinuz`).join(' and ')}: ostree admin deploy takes whichever it reads first; keep one kernel`);
  const dir = dirs[0];
  const parts: Buffer[] = [];
  const take = (path: string): string => {
    parts.push(read(regularFileAt(tree, path)!.node));
    return path;
  };
  const kernel = take(`${dir}/vmlinuz`);
  const initramfsPath = [`${dir}/initramfs.img`, `${dir}/initramfs`].find((p) => regularFileAt(tree, p));
  const initramfs = initramfsPath && take(initramfsPath);
  let devicetree: string | undefined;
  let devicetreeIsDir = false;
  if (regularFileAt(tree, `${dir}/devicetree`)) {
    devicetree = take(`${dir}/devicetree`);
  } else {
    const dtb = resolveInTree(tree, `${dir}/dtb`);
    if (dtb?.node.kind === 'dir') {
      devicetree = `${dir}/dtb`;
      devicetreeIsDir = true;
      for (const file of dtbDirFilesInOstreeOrder(tree, dtb.node, dtb.path)) take(file);
    }
  }
  return { layout: 'modern', dir, kver: dir.slice(MODULES_DIR.length + 1), kernel, initramfs, devicetree, devicetreeIsDir, bootcsum: bootcsum(parts) };
}

/** The legacy kernel, initramfs and devicetree names in `dir` (name-<checksum>, the suffix after the last dash). */
export function legacyBootFiles(tree: Tree, dir: string): { kind: 'vmlinuz' | 'initramfs' | 'devicetree'; path: string; csum: string }[] {
  const out: { kind: 'vmlinuz' | 'initramfs' | 'devicetree'; path: string; csum: string }[] = [];
  for (const name of childNames(tree, dir)) {
    const kind = (['vmlinuz', 'initramfs', 'devicetree'] as const).find((k) => name.startsWith(`${k}-`));
    const csum = checksumSuffix(name);
    if (kind && csum) out.push({ kind, path: `${dir}/${name}`, csum });
  }
  return out;
}

/** The first of LEGACY_DIRS that exists as a directory (ostree does not look further). */
function legacyDir(tree: Tree): string | undefined {
  return LEGACY_DIRS.find((d) => resolveInTree(tree, d)?.node.kind === 'dir');
}

function legacyLayout(tree: Tree): OstreeKernel | undefined {
  const dir = legacyDir(tree);
  if (dir === undefined) return undefined;
  const files = legacyBootFiles(tree, resolveInTree(tree, dir)!.path);
  const one = (kind: 'vmlinuz' | 'initramfs' | 'devicetree'): { path: string; csum: string } | undefined => {
    const all = files.filter((f) => f.kind === kind);
    if (all.length > 1) throw new PrepareError('kernel', `${all.map((f) => f.path).join(' and ')}: ostree admin deploy takes whichever it reads first; keep one`);
    return all[0];
  };
  const kernel = one('vmlinuz');
  if (!kernel) return undefined;
  const initramfs = one('initramfs');
  const devicetree = one('devicetree');
  for (const other of [initramfs, devicetree]) {
    if (other && other.csum !== kernel.csum) throw new PrepareError('kernel', `${other.path}: its checksum suffix differs from ${kernel.path}'s; ostree admin deploy refuses that`);
  }
  return { layout: 'legacy', dir, kernel: kernel.path, initramfs: initramfs?.path, devicetree: devicetree?.path, devicetreeIsDir: false, bootcsum: kernel.csum };
}

/** What ostree admin deploy will find, or undefined when it would fail with "Failed to find kernel". */
export function ostreeKernelLayout(tree: Tree, read: ReadFile): OstreeKernel | undefined {
  const modern = modernLayout(tree, read);
  const legacy = legacyLayout(tree);
  // ostree: a legacy layout with an initramfs wins over a modules layout without one.
  if (legacy && (!modern || (!modern.initramfs && legacy.initramfs))) return legacy;
  return modern;
}
