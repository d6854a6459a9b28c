// Step "kernel": puts the kernel, initramfs and device trees where `ostree admin
// deploy` finds them, in the modern layout (usr/lib/modules/<kver>/vmlinuz,
// initramfs.img, devicetree | dtb/) or the legacy one (boot/vmlinuz-<bootcsum>…),
// and removes every other kernel so that ostree cannot pick a different one.
// Files already in the tree are moved (their objects are reused), never symlinked:
// a symlinked vmlinuz breaks deploy (meta-updater.md §8 #11).
import type { PrepareContext } from '../commit/prepare-context.js';
import type { Tree } from '../tree/tree.js';
import { bootcsum } from './bootcsum.js';
import type { BootFile } from './boot-file.js';
import type { KernelLayout, KernelOptions } from './kernel-options.js';
import { findKernelSources, type KernelSources } from './kernel-sources.js';
import { chooseKernelVersion } from './kernel-version.js';
import { LEGACY_DIRS, legacyBootFiles, MODULES_DIR, modulesKernelDirs, ostreeKernelLayout } from './ostree-kernel-layout.js';
import { PrepareError } from './prepare-error.js';
import type { PlacedKernel, PrepareReport } from './report.js';
import { baseName, resolveInTree, ROOT_DIR_META } from './tree-paths.js';

const STEP = 'kernel';

export type BootMetadata = Record<string, string | boolean>;

/** Removes kernels left after the sources were detached: ostree must see only ours. */
function removeOtherKernels(tree: Tree, warnings: string[]): void {
  const others = [
    ...modulesKernelDirs(tree).map((dir) => `${dir}/vmlinuz`),
    ...LEGACY_DIRS.flatMap((dir) => legacyBootFiles(tree, dir).map((f) => f.path)),
  ];
  for (const path of others) tree.remove(path);
  const kernels = others.filter((p) => baseName(p).startsWith('vmlinuz'));
  if (kernels.length > 0) warnings.push(`removed ${kernels.join(', ')}, which ostree admin deploy could take instead of the kernel placed`);
}

/** How the device trees go in the modern layout (OSTREE_MULTI_DEVICETREE_SUPPORT). */
function devicetreeForms(count: number, multi: boolean | undefined): { file: boolean; dir: boolean } {
  if (count === 0) return { file: false, dir: false };
  if (multi === true) return { file: false, dir: true };
  if (multi === false) return { file: true, dir: count > 1 };
  return { file: count === 1, dir: count > 1 };
}

/** Returns the kernel's path. What else ostree will read there is known from ostreeKernelLayout. */
function placeModern(tree: Tree, src: KernelSources, kver: string, multi: boolean | undefined): string {
  const dir = `${MODULES_DIR}/${kver}`;
  tree.ensureDir(dir, ROOT_DIR_META);
  tree.setFile(`${dir}/vmlinuz`, src.kernel.node(), ROOT_DIR_META);
  if (src.initramfs) {
    tree.remove(`${dir}/initramfs`); // ostree would prefer initramfs.img anyway: keep one
    tree.setFile(`${dir}/initramfs.img`, src.initramfs.node(), ROOT_DIR_META);
  }
  if (!src.devicetreesInPlace && src.devicetrees.length > 0) {
    tree.remove(`${dir}/devicetree`);
    tree.remove(`${dir}/dtb`);
    const forms = devicetreeForms(src.devicetrees.length, multi);
    if (forms.file) tree.setFile(`${dir}/devicetree`, src.devicetrees[0].node(), ROOT_DIR_META);
    if (forms.dir) {
      for (const dtb of src.devicetrees) {
        const same = src.devicetrees.filter((d) => d.name === dtb.name);
        if (same.length > 1) throw new PrepareError(STEP, `two device trees named ${dtb.name}: ${same.map((d) => d.label).join(', ')}`);
        tree.setFile(`${dir}/dtb/${dtb.name}`, dtb.node(), ROOT_DIR_META);
      }
    }
  }
  return `${dir}/vmlinuz`;
}

/** Returns the kernel's path; its name carries the bootcsum, computed here as ostree would. */
function placeLegacy(tree: Tree, src: KernelSources, warnings: string[]): string {
  const [dtb, ...dropped] = src.devicetrees;
  if (dropped.length > 0) {
    warnings.push(`the legacy layout carries one device tree (ostree reads only devicetree-<bootcsum>): using ${dtb.label}, not ${dropped.map((d) => d.label).join(', ')}`);
  }
  const used: [string, BootFile | undefined][] = [['vmlinuz', src.kernel], ['initramfs', src.initramfs], ['devicetree', dtb]];
  const csum = bootcsum(used.flatMap(([, file]) => (file ? [file.data()] : [])));
  // ostree reads usr/lib/ostree-boot when it exists, and then never boot/.
  const dir = resolveInTree(tree, 'usr/lib/ostree-boot')?.node.kind === 'dir' ? 'usr/lib/ostree-boot' : 'boot';
  tree.ensureDir(dir, ROOT_DIR_META);
  for (const [name, file] of used) if (file) tree.setFile(`${dir}/${name}-${csum}`, file.node(), ROOT_DIR_META);
  return `${dir}/vmlinuz-${csum}`;
}

/** Replays ostree's lookup on the result: it must find the kernel just placed. */
function whatOstreeDeploys(tree: Tree, ctx: PrepareContext, layout: KernelLayout, kernelPath: string, kver: string | undefined): PlacedKernel {
  const seen = ostreeKernelLayout(tree, (node) => ctx.readFile(node));
  if (seen?.layout !== layout || seen.kernel !== kernelPath) {
    throw new PrepareError(STEP, `internal: ostree admin deploy would take ${seen ? seen.kernel : 'no kernel'} rather than ${kernelPath}`);
  }
  return { layout, kver, bootcsum: seen.bootcsum, kernel: seen.kernel, initramfs: seen.initramfs, devicetree: seen.devicetree };
}

/**
 * Places the kernel and returns the commit metadata it earns (ostree.bootable,
 * ostree.linux); {} with a warning when the tree has no kernel and none was named.
 */
export function placeKernel(tree: Tree, ctx: PrepareContext, opts: KernelOptions, report: PrepareReport): BootMetadata {
  const layout: KernelLayout = opts.layout ?? 'modern';
  const src = findKernelSources(tree, ctx, opts);
  if (!src) {
    report.warnings.push('no kernel in the tree and none named (KERNEL_IMAGETYPE / OSTREE_KERNEL or --kernel FILE): the commit is not bootable');
    return {};
  }
  report.warnings.push(...src.warnings);
  const inPlace = src.inPlaceDir === undefined ? undefined : baseName(src.inPlaceDir);
  const { kver, warnings } = chooseKernelVersion(tree, { setting: opts.version, fromName: src.nameVersion, inPlace }, layout === 'modern');
  report.warnings.push(...warnings);

  const keep = layout === 'modern' && src.devicetreesInPlace ? new Set(src.devicetrees) : new Set<BootFile>();
  for (const file of [src.kernel, src.initramfs, ...src.devicetrees]) {
    if (file && !keep.has(file)) for (const path of file.treePaths) tree.remove(path);
  }
  removeOtherKernels(tree, report.warnings);

  const kernelPath = layout === 'modern' ? placeModern(tree, src, kver!, opts.multiDevicetree) : placeLegacy(tree, src, report.warnings);
  const placed = whatOstreeDeploys(tree, ctx, layout, kernelPath, kver);
  if (!placed.initramfs && !tree.lookup('usr/lib/ostree/ostree-prepare-root')) {
    report.warnings.push('no initramfs, and the tree has no usr/lib/ostree/ostree-prepare-root for ostree to boot with init=; the deployment will not find its root');
  }
  report.kernel = placed;
  return { 'ostree.bootable': true, ...(placed.kver !== undefined ? { 'ostree.linux': placed.kver } : {}) };
}
