// Rootfs preparation: the ordered list of steps that turn a Yocto rootfs into a tree
// `ostree admin deploy` can boot (meta-updater's IMAGE_CMD:ostree, done on the tree
// model while committing). Each step is one file with its own tests; this list is
// the whole transformation at a glance.
import type { PrepareContext } from '../commit/prepare-context.js';
import type { FileNode, Tree } from '../tree/tree.js';
import { emptyBoot } from './boot.js';
import { isHostFile } from './boot-file.js';
import { moveEtcToUsrEtc } from './etc-to-usr-etc.js';
import { placeKernel, type BootMetadata } from './kernel.js';
import type { BootFileSource, KernelOptions } from './kernel-options.js';
import { writePackageManifest } from './manifest.js';
import { PrepareError } from './prepare-error.js';
import { newReport, type PrepareReport } from './report.js';
import { linkRootDirs } from './rootdirs.js';
import { writeBranchName } from './sota-branch.js';
import { declaredPaths, treeFileReader } from './tmpfiles-format.js';
import { writeTmpfiles, type TmpfilesFile } from './tmpfiles.js';
import { emptyVar } from './var.js';

export interface PrepareOptions {
  /** The commit's branch (OSTREE_BRANCHNAME), written to usr/share/sota/branchname. */
  branch: string;
  /** Dropping files from /var, /boot or the rootdirs is an error, not a warning. */
  strict?: boolean;
  /** Unset: detected from the tree. */
  systemd?: boolean;
  kernel?: KernelOptions;
  /** IMAGE_MANIFEST, for usr/package.manifest. */
  manifestFile?: string;
}

export interface PrepareResult {
  /** For the commit: ostree.bootable, ostree.linux. */
  metadata: BootMetadata;
  report: PrepareReport;
}

/** What steps share while the list runs. */
export interface StepState {
  readonly tree: Tree;
  readonly files: PrepareContext;
  readonly options: PrepareOptions;
  readonly report: PrepareReport;
  metadata: BootMetadata;
  /** Entries that recreate /var on the device, collected for the tmpfiles step. */
  readonly tmpfiles: TmpfilesFile[];
}

export interface PrepareStep {
  name: string;
  purpose: string;
  /** The settings (BitBake variables) that feed its options. */
  settings: readonly string[];
  run(state: StepState): void;
}

export const PREPARE_STEPS: readonly PrepareStep[] = [
  {
    name: 'etc-to-usr-etc',
    purpose: 'move /etc to /usr/etc, the configuration ostree merges into each deployment',
    settings: [],
    run: (s) => moveEtcToUsrEtc(s.tree),
  },
  {
    name: 'kernel',
    purpose: 'place kernel, initramfs and device trees where ostree admin deploy finds them',
    settings: ['OSTREE_KERNEL', 'KERNEL_IMAGETYPE', 'OSTREE_INITRAMFS_IMAGE', 'OSTREE_DEPLOY_DEVICETREE', 'OSTREE_DEVICETREE', 'KERNEL_DEVICETREE', 'OSTREE_MULTI_DEVICETREE_SUPPORT', 'OSTREE_KERNEL_LAYOUT', 'KERNEL_VERSION', 'DEPLOY_DIR_IMAGE'],
    run: (s) => {
      s.metadata = { ...s.metadata, ...placeKernel(s.tree, s.files, s.options.kernel ?? {}, s.report) };
    },
  },
  {
    name: 'boot',
    purpose: 'empty /boot, a mount point on the device (the legacy kernel files stay)',
    settings: [],
    run: (s) => {
      const k = s.report.kernel;
      const keep = k ? [k.kernel, k.initramfs, k.devicetree].filter((p): p is string => p !== undefined) : [];
      emptyBoot(s.tree, { strict: s.options.strict, keep }, s.report);
    },
  },
  {
    name: 'rootdirs',
    purpose: 'home, opt, mnt, media, srv, root and usr/local become symlinks into /var; add sysroot/ and ostree',
    settings: [],
    run: (s) => {
      s.tmpfiles.push({ name: '00ostree-tmpfiles', entries: linkRootDirs(s.tree, s.files, { strict: s.options.strict }, s.report) });
    },
  },
  {
    name: 'var',
    purpose: 'empty /var but var/local; what it held is recreated on the device or reported',
    settings: [],
    run: (s) => {
      const declared = declaredPaths(s.tree, treeFileReader(s.tree, s.files.readFile));
      s.tmpfiles.push({ name: '00ostree-var', entries: emptyVar(s.tree, { strict: s.options.strict, declared }, s.report) });
    },
  },
  {
    name: 'tmpfiles',
    purpose: 'write the /var entries as tmpfiles.d files, or an init script without systemd',
    settings: ['VIRTUAL-RUNTIME_init_manager'],
    run: (s) => writeTmpfiles(s.tree, s.files, s.tmpfiles, { systemd: s.options.systemd }),
  },
  {
    name: 'sota-branch',
    purpose: 'record the branch in usr/share/sota/branchname',
    settings: ['OSTREE_BRANCHNAME'],
    run: (s) => writeBranchName(s.tree, s.files, s.options.branch),
  },
  {
    name: 'manifest',
    purpose: 'usr/package.manifest (package and version) from the image manifest, when given',
    settings: [],
    run: (s) => {
      if (s.options.manifestFile !== undefined) writePackageManifest(s.tree, s.files, s.options.manifestFile);
    },
  },
];

/** A context whose readFile keeps what it read: the kernel is hashed by two steps' checks. */
function cachingReads(ctx: PrepareContext): PrepareContext {
  const cache = new WeakMap<FileNode, Buffer>();
  return {
    ...ctx,
    readFile: (node) => {
      let data = cache.get(node);
      if (!data) cache.set(node, (data = ctx.readFile(node)));
      return data;
    },
  };
}

export function prepareTree(tree: Tree, ctx: PrepareContext, options: PrepareOptions): PrepareResult {
  const state: StepState = { tree, files: cachingReads(ctx), options, report: newReport(), metadata: {}, tmpfiles: [] };
  for (const step of PREPARE_STEPS) step.run(state);
  return { metadata: state.metadata, report: state.report };
}

/** Fails before the tarball is read when a file given on the command line is missing. */
export function checkPrepareInputs(options: PrepareOptions): void {
  const k = options.kernel ?? {};
  const given: [string, BootFileSource | undefined][] = [
    ['kernel', k.kernel],
    ['initramfs', k.initramfs],
    ...(k.devicetrees ?? []).map((s): [string, BootFileSource] => ['device tree', s]),
  ];
  const files: [string, string][] = given.flatMap(([what, s]) => (s && 'file' in s ? [[what, s.file] as [string, string]] : []));
  if (options.manifestFile !== undefined) files.push(['manifest', options.manifestFile]);
  for (const [what, file] of files) {
    if (!isHostFile(file)) throw new PrepareError(what === 'manifest' ? 'manifest' : 'kernel', `${file}: no such file (the ${what})`);
  }
}
