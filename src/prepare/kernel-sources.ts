// Finds the kernel, initramfs and device trees to boot: given files, names looked up
// in the tree's boot/ and in DEPLOY_DIR_IMAGE, or a kernel already in place in the
// tree (usr/lib/modules/<kver>/vmlinuz from meta-updater's ostree-kernel package, or
// a legacy boot/vmlinuz-<bootcsum>) together with what sits beside it.
import type { PrepareContext } from '../commit/prepare-context.js';
import type { Tree } from '../tree/tree.js';
import { bootFileInTree, distinctByContent, generatedBootFile, lookupBootFile, sameContent, treeBootFile, type BootFile } from './boot-file.js';
import type { BootFileSource, KernelOptions } from './kernel-options.js';
import { LEGACY_DIRS, legacyBootFiles, modulesKernelDirs } from './ostree-kernel-layout.js';
import { checksumSuffix, dtbDirFilesInOstreeOrder } from './bootcsum.js';
import { PrepareError } from './prepare-error.js';
import { baseName, childNames, regularFileAt, resolveInTree } from './tree-paths.js';

const STEP = 'kernel';
/** KERNEL_IMAGETYPE values looked for in boot/ when nothing names the kernel (not vmlinux: an ELF U-Boot cannot boot). */
const AUTO_IMAGE_TYPES = ['zImage', 'Image', 'Image.gz', 'uImage', 'bzImage', 'fitImage', 'vmlinuz'];

interface FoundKernel {
  file: BootFile;
  /** It already sits in this usr/lib/modules/<kver> directory. */
  inPlaceDir?: string;
  /** It is a legacy vmlinuz-<csum> in this directory. */
  legacy?: { dir: string; csum: string };
  /** The version its file name carries (zImage-<kver>). */
  nameVersion?: string;
  /** The KERNEL_IMAGETYPE it was found as, or the host file's name. */
  imageType?: string;
}

export interface KernelSources {
  kernel: BootFile;
  inPlaceDir?: string;
  nameVersion?: string;
  initramfs?: BootFile;
  /** In ostree's order: the devicetree file, or the dtb/ files. */
  devicetrees: BootFile[];
  /** The device trees already sit in the kernel's usr/lib/modules/<kver> directory. */
  devicetreesInPlace: boolean;
  warnings: string[];
}

function existingKernels(tree: Tree, ctx: PrepareContext): FoundKernel[] {
  const modern = modulesKernelDirs(tree).map((dir): FoundKernel => {
    const found = regularFileAt(tree, `${dir}/vmlinuz`)!;
    return { file: treeBootFile(ctx, found.path, found.node, [`${dir}/vmlinuz`]), inPlaceDir: dir };
  });
  const legacy = LEGACY_DIRS.flatMap((dir) =>
    legacyBootFiles(tree, dir)
      .filter((f) => f.kind === 'vmlinuz')
      .flatMap((f): FoundKernel[] => {
        const found = regularFileAt(tree, f.path);
        return found ? [{ file: treeBootFile(ctx, found.path, found.node, [f.path]), legacy: { dir, csum: f.csum } }] : [];
      }),
  );
  return [...modern, ...legacy];
}

/** boot/<type>; else boot/<type>-<version> when the version is known; else every boot/<type>-*. */
function kernelsInBoot(tree: Tree, ctx: PrepareContext, type: string, version: string | undefined): FoundKernel[] {
  const versionOf = (file: BootFile): string | undefined => (file.name.startsWith(`${type}-`) ? file.name.slice(type.length + 1) : undefined);
  const exact = bootFileInTree(tree, ctx, type);
  if (exact) return [{ file: exact, nameVersion: versionOf(exact), imageType: type }];
  const names = childNames(tree, 'boot').filter((n) => n.startsWith(`${type}-`) && checksumSuffix(n) === undefined);
  const wanted = version !== undefined && names.includes(`${type}-${version}`) ? [`${type}-${version}`] : names;
  return wanted.flatMap((name) => {
    const file = bootFileInTree(tree, ctx, name);
    return file ? [{ file, nameVersion: versionOf(file), imageType: type }] : [];
  });
}

function theOnlyKernel(candidates: FoundKernel[]): FoundKernel | undefined {
  const distinct = distinctByContent(candidates, (k) => k.file);
  if (distinct.length > 1) {
    throw new PrepareError(STEP, `several kernels and nothing says which one boots: ${distinct.map((k) => k.file.label).join(', ')}; choose with --kernel FILE, OSTREE_KERNEL or KERNEL_VERSION`);
  }
  return distinct[0];
}

/** The same kernel already in place is kept there (with its companions); the named copy goes. */
function preferInPlace(named: FoundKernel, existing: FoundKernel[]): FoundKernel {
  const twin = existing.find((e) => sameContent(e.file, named.file));
  if (!twin) return named;
  twin.file.treePaths = [...new Set([...twin.file.treePaths, ...named.file.treePaths])];
  return { ...twin, nameVersion: named.nameVersion, imageType: named.imageType };
}

function findKernel(tree: Tree, ctx: PrepareContext, opts: KernelOptions): FoundKernel | undefined {
  const source = opts.kernel;
  if (source && 'file' in source) {
    const file = lookupBootFile(tree, ctx, source, opts.deployDir, STEP).found!;
    return { file, imageType: file.name };
  }
  const existing = existingKernels(tree, ctx);
  if (source) {
    const tried: string[] = [];
    for (const type of source.names.map(baseName)) {
      tried.push(`boot/${type}`, `boot/${type}-*`);
      const inBoot = theOnlyKernel(kernelsInBoot(tree, ctx, type, opts.version));
      if (inBoot) return preferInPlace(inBoot, existing);
      const onHost = lookupBootFile(tree, ctx, { names: [type] }, opts.deployDir, STEP);
      tried.push(...onHost.tried.filter((t) => !tried.includes(t)));
      if (onHost.found) return preferInPlace({ file: onHost.found, imageType: type }, existing);
    }
    // A kernel already in place serves when the named one is nowhere (meta-updater's ostree-kernel package).
    const inPlace = theOnlyKernel(existing);
    if (inPlace) return inPlace;
    throw new PrepareError(STEP, `no kernel: looked for ${tried.join(', ')} and found none (set OSTREE_KERNEL / KERNEL_IMAGETYPE or pass --kernel FILE)`);
  }
  return theOnlyKernel([...existing, ...AUTO_IMAGE_TYPES.flatMap((type) => kernelsInBoot(tree, ctx, type, opts.version))]);
}

function lookupRequired(tree: Tree, ctx: PrepareContext, source: BootFileSource, deployDir: string | undefined, what: string): BootFile {
  const { found, tried } = lookupBootFile(tree, ctx, source, deployDir, STEP);
  if (!found) throw new PrepareError(STEP, `no ${what}: looked for ${tried.join(', ')}`);
  return found;
}

function findInitramfs(tree: Tree, ctx: PrepareContext, opts: KernelOptions, kernel: FoundKernel, warnings: string[]): BootFile | undefined {
  const source = opts.initramfs;
  if (source && 'file' in source) return lookupRequired(tree, ctx, source, opts.deployDir, 'initramfs');
  const beside = kernel.inPlaceDir
    ? [`${kernel.inPlaceDir}/initramfs.img`, `${kernel.inPlaceDir}/initramfs`]
    : kernel.legacy
      ? legacyBootFiles(tree, kernel.legacy.dir)
          .filter((f) => f.kind === 'initramfs' && f.csum === kernel.legacy!.csum)
          .map((f) => f.path)
      : [];
  for (const path of beside) {
    const found = regularFileAt(tree, path);
    if (found) return treeBootFile(ctx, found.path, found.node, [path]);
  }
  if (source) {
    const { found, tried } = lookupBootFile(tree, ctx, source, opts.deployDir, STEP);
    if (found) return found;
    if (!source.optional) throw new PrepareError(STEP, `no initramfs: looked for ${tried.join(', ')}`);
    if (opts.deployDir !== undefined) warnings.push(`no initramfs found (looked for ${tried.join(', ')}); committing the kernel without one`);
  }
  // meta-updater's FIT hack: the initramfs is inside the image, and an empty one keeps
  // ostree from adding init=…/ostree-prepare-root to the kernel arguments.
  if (kernel.imageType?.startsWith('fitImage')) return generatedBootFile(ctx, 'initramfs.img', Buffer.alloc(0));
  return undefined;
}

function devicetreesBeside(tree: Tree, ctx: PrepareContext, kernel: FoundKernel): BootFile[] {
  if (kernel.inPlaceDir) {
    const dir = kernel.inPlaceDir;
    const single = regularFileAt(tree, `${dir}/devicetree`);
    if (single) return [treeBootFile(ctx, single.path, single.node, [`${dir}/devicetree`])];
    const dtb = resolveInTree(tree, `${dir}/dtb`);
    if (dtb?.node.kind !== 'dir') return [];
    return dtbDirFilesInOstreeOrder(tree, dtb.node, dtb.path).map((path, i) => {
      const found = regularFileAt(tree, path)!;
      const file = treeBootFile(ctx, found.path, found.node, i === 0 ? [`${dir}/dtb`] : []);
      file.name = path.slice(dtb.path.length + 1); // keeps vendor/board.dtb
      return file;
    });
  }
  if (kernel.legacy) {
    const { dir, csum } = kernel.legacy;
    return legacyBootFiles(tree, dir)
      .filter((f) => f.kind === 'devicetree' && f.csum === csum)
      .flatMap((f) => {
        const found = regularFileAt(tree, f.path);
        return found ? [treeBootFile(ctx, found.path, found.node, [f.path])] : [];
      });
  }
  return [];
}

/** Undefined when there is no kernel and none was asked for. */
export function findKernelSources(tree: Tree, ctx: PrepareContext, opts: KernelOptions): KernelSources | undefined {
  const kernel = findKernel(tree, ctx, opts);
  if (!kernel) return undefined;
  const warnings: string[] = [];
  const initramfs = findInitramfs(tree, ctx, opts, kernel, warnings);
  const asked = opts.devicetrees ?? [];
  const devicetrees = asked.length > 0 ? asked.map((s) => lookupRequired(tree, ctx, s, opts.deployDir, 'device tree')) : devicetreesBeside(tree, ctx, kernel);
  return {
    kernel: kernel.file,
    inPlaceDir: kernel.inPlaceDir,
    nameVersion: kernel.nameVersion,
    initramfs,
    devicetrees,
    devicetreesInPlace: asked.length === 0 && kernel.inPlaceDir !== undefined && devicetrees.length > 0,
    warnings,
  };
}
