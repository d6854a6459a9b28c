// Step "tmpfiles": writes the entries the other steps collected so the device
// recreates them in its /var: usr/lib/tmpfiles.d/<name>.conf on systemd images (the
// vendor directory, as meta-lmp does, so /etc stays the admin's), or meta-updater's
// sysvinit form, usr/etc/init.d/tmpfiles.sh started from rcS.d as S20tmpfiles.sh.
import type { PrepareContext } from '../commit/prepare-context.js';
import type { Tree } from '../tree/tree.js';
import { renderInitScript, renderTmpfilesConf, type TmpfilesEntry } from './tmpfiles-format.js';
import { ROOT_DIR_META } from './tree-paths.js';

export interface TmpfilesFile {
  /** The tmpfiles.d file name without .conf. */
  name: string;
  entries: readonly TmpfilesEntry[];
}

export interface TmpfilesOptions {
  /** VIRTUAL-RUNTIME_init_manager == systemd, or --systemd/--no-systemd; unset: look at the tree. */
  systemd?: boolean;
}

const TMPFILES_DIR = 'usr/lib/tmpfiles.d';
export const INIT_SCRIPT = 'usr/etc/init.d/tmpfiles.sh';
export const INIT_SCRIPT_LINK = 'usr/etc/rcS.d/S20tmpfiles.sh';

/** The image boots systemd: its binary is there, or /sbin/init points at it. */
export function usesSystemd(tree: Tree): boolean {
  if (tree.lookup('usr/lib/systemd/systemd') || tree.lookup('lib/systemd/systemd')) return true;
  const init = tree.lookup('usr/sbin/init') ?? tree.lookup('sbin/init');
  return init?.kind === 'file' && init.meta.symlinkTarget.includes('systemd');
}

export function writeTmpfiles(tree: Tree, ctx: PrepareContext, files: readonly TmpfilesFile[], opts: TmpfilesOptions): void {
  const wanted = files.filter((f) => f.entries.length > 0);
  if (wanted.length === 0) return;
  if (opts.systemd ?? usesSystemd(tree)) {
    for (const f of wanted) tree.setFile(`${TMPFILES_DIR}/${f.name}.conf`, ctx.newFile(Buffer.from(renderTmpfilesConf(f.entries))), ROOT_DIR_META);
    return;
  }
  const script = renderInitScript(wanted.flatMap((f) => f.entries));
  tree.setFile(INIT_SCRIPT, ctx.newFile(Buffer.from(script), { perms: 0o755 }), ROOT_DIR_META);
  tree.setFile(INIT_SCRIPT_LINK, ctx.newSymlink('../init.d/tmpfiles.sh'), ROOT_DIR_META);
}
