// Step "var": /var is per-device state that ostree never deploys from a commit, so
// the tree keeps only var/local (as meta-updater does). Instead of losing the rest
// silently (meta-updater.md §8 #5: cronie's /var/spool/cron, nfs-utils' /var/lib/nfs),
// its directories, symlinks and empty files become entries that recreate them on the
// device; files with content are reported as dropped.
import { isRegular, isSymlink } from '../ostree/validate.js';
import type { Tree } from '../tree/tree.js';
import { reportDroppedFiles, type PrepareReport } from './report.js';
import { expressible, type TmpfilesEntry } from './tmpfiles-format.js';
import { nodesUnder } from './tree-paths.js';

const STEP = 'var';
const KEPT = 'local';

export interface VarOptions {
  strict?: boolean;
  /** Absolute paths the image already creates itself (its tmpfiles.d, volatiles): not repeated. */
  declared?: ReadonlySet<string>;
}

/** Empties var/ but var/local; returns the entries that recreate what was removed. */
export function emptyVar(tree: Tree, opts: VarOptions, report: PrepareReport): TmpfilesEntry[] {
  const varDir = tree.lookup('var');
  if (varDir?.kind !== 'dir') return [];
  const entries: TmpfilesEntry[] = [];
  const dropped: string[] = [];
  for (const name of [...varDir.children.keys()].sort()) {
    if (name === KEPT) continue;
    const top = varDir.children.get(name)!;
    const nodes: [string, typeof top][] = [[`var/${name}`, top], ...(top.kind === 'dir' ? nodesUnder(tree, top, `var/${name}`) : [])];
    for (const [path, node] of nodes) {
      const abs = `/${path}`;
      const perms = node.meta.mode & 0o7777;
      const { uid, gid } = node.meta;
      if (!expressible(abs) || (node.kind === 'file' && !expressible(node.meta.symlinkTarget))) dropped.push(path);
      else if (node.kind === 'dir') entries.push({ type: 'd', path: abs, perms, uid, gid });
      else if (isSymlink(node.meta.mode)) entries.push({ type: 'L', path: abs, target: node.meta.symlinkTarget });
      else if (isRegular(node.meta.mode) && node.size === 0) entries.push({ type: 'f', path: abs, perms, uid, gid });
      else dropped.push(path);
    }
    varDir.children.delete(name);
  }
  reportDroppedFiles(report, opts.strict ?? false, STEP, '/var', dropped, 'ostree does not deploy /var: ship them under /usr, or create them at run time');
  const declared = opts.declared ?? new Set<string>();
  return entries.filter((e) => !declared.has(e.path));
}
