// The stateroot ostree/deploy/<os>: `ostree admin os-init` (var/{lib,log,tmp},
// var/lock and var/run links; ostree-format.md §8.2), the SELinux stamp the first
// deploy leaves, and meta-updater's initial device state (IMAGE_CMD:ota,
// meta-updater.md §4b): var/sota 0700 with import/installed_versions, var/local
// (the commit's, copied, else empty) and var/rootdirs/home.
import type { Tree } from '../tree/tree.js';
import { copySubtree } from './subtree-copy.js';
import { rootDir, rootFile, rootSymlink, type SysrootEntry } from './sysroot-entry.js';
import type { SysrootOptions } from './sysroot-options.js';

export function staterootDir(osname: string): string {
  return `ostree/deploy/${osname}`;
}

/** {"<commit>":"<GARAGE_TARGET_NAME>-<version>"} and the newline echo adds. */
export function installedVersionsText(commit: string, installedVersion: string): string {
  return `${JSON.stringify({ [commit]: installedVersion })}\n`;
}

export function staterootEntries(commit: string, tree: Tree, opts: SysrootOptions): SysrootEntry[] {
  const t = opts.epoch;
  const root = staterootDir(opts.osname);
  const v = `${root}/var`;
  const local = tree.lookup('var/local');
  return [
    rootDir(root, t),
    rootDir(`${root}/deploy`, t),
    rootDir(v, t),
    rootFile(`${v}/.ostree-selabeled`, '', t),
    rootDir(`${v}/lib`, t),
    rootSymlink(`${v}/lock`, '../run/lock', t),
    rootDir(`${v}/log`, t),
    rootSymlink(`${v}/run`, '../run', t),
    rootDir(`${v}/tmp`, t, 0o1777),
    ...(local?.kind === 'dir' ? copySubtree(local, `${v}/local`, { created: t, files: t }) : [rootDir(`${v}/local`, t)]),
    rootDir(`${v}/rootdirs`, t),
    rootDir(`${v}/rootdirs/home`, t),
    rootDir(`${v}/sota`, t, 0o700),
    rootDir(`${v}/sota/import`, t),
    rootFile(`${v}/sota/import/installed_versions`, installedVersionsText(commit, opts.installedVersion), t),
  ];
}
