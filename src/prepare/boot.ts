// Step "boot": /boot in the tree is only a mount point for the device's boot
// directory, so it is emptied (meta-updater: `rm -rf boot/*`). What the kernel step
// placed there (the legacy layout) stays; other files are reported as dropped.
import type { Tree } from '../tree/tree.js';
import { reportDroppedFiles, type PrepareReport } from './report.js';
import { regularFilesUnder, ROOT_DIR_META } from './tree-paths.js';

const STEP = 'boot';

export interface BootOptions {
  strict?: boolean;
  /** Tree paths to keep (the legacy kernel files). */
  keep?: readonly string[];
}

export function emptyBoot(tree: Tree, opts: BootOptions, report: PrepareReport): void {
  const keep = new Set(opts.keep ?? []);
  const boot = tree.lookup('boot');
  const dropped: string[] = [];
  if (boot?.kind === 'dir') {
    for (const [name, node] of [...boot.children].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const path = `boot/${name}`;
      if (keep.has(path)) continue;
      dropped.push(...regularFilesUnder(tree, path, node));
      boot.children.delete(name);
    }
  } else {
    if (boot) dropped.push(...regularFilesUnder(tree, 'boot', boot));
    tree.remove('boot');
    tree.ensureDir('boot', ROOT_DIR_META);
  }
  reportDroppedFiles(report, opts.strict ?? false, STEP, '/boot', dropped, 'ostree deploys only the kernel, initramfs and device trees it is given (--devicetree, or OSTREE_DEPLOY_DEVICETREE with OSTREE_DEVICETREE)');
}
