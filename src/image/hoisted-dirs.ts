// The fast path builds two directories at the top of the filesystem and lets the
// debugfs pass move them into place. mke2fs -d resolves every tar member's
// directory, and every hardlink's target, from the root one component at a time,
// through a cache of 8 blocks that never holds a whole path: each component costs a
// read of its inode's table block and of its directory blocks, and their checksums.
// Nearly every member lies under the deployment root (5 levels down) or the
// repository's objects (3 levels down), so those two are made as /d and /o: 28 %
// fewer block reads on v2, ~150 ms of mke2fs's ~2 s.
import { REPO_DIR } from '../sysroot/bare-repo.js';
import type { Sysroot } from '../sysroot/build-sysroot.js';
import { parentOf, type SysrootEntry } from '../sysroot/sysroot-entry.js';
import type { DebugfsScript } from './debugfs-script.js';

export interface Hoist {
  /** Where the directory ends up. */
  path: string;
  /** Its name at the top while mke2fs fills it. */
  name: string;
}

export function hoistedDirectories(sysroot: Sysroot): Hoist[] {
  const hoists = [
    { path: sysroot.deployment, name: 'd' },
    { path: `${REPO_DIR}/objects`, name: 'o' },
  ];
  for (const e of sysroot.entries) {
    if (hoists.some((h) => h.name === e.path)) throw new Error(`internal: /${e.path} is in the sysroot, and the fast path needs that name for a while`);
  }
  return hoists;
}

/** A sysroot path as mke2fs sees it, before the move. */
export function hoistedPath(hoists: readonly Hoist[]): (path: string) => string {
  return (path) => {
    for (const h of hoists) {
      if (path === h.path) return h.name;
      if (path.startsWith(h.path) && path[h.path.length] === '/') return h.name + path.slice(h.path.length);
    }
    return path;
  };
}

/** Subdirectories + "." + the entry in the parent; the root also has mke2fs's lost+found. */
function linkCount(entries: readonly SysrootEntry[], dir: string): number {
  let n = dir === '' ? 3 : 2;
  for (const e of entries) if (e.kind === 'dir' && e.path !== '' && parentOf(e.path) === dir) n++;
  return n;
}

/**
 * The debugfs commands that move the directories into place. debugfs has no rename
 * and its ln/unlink leave link counts alone, so the parents' counts are set to what
 * the final tree gives them.
 */
export function moveIntoPlace(script: DebugfsScript, hoists: readonly Hoist[], entries: readonly SysrootEntry[]): void {
  for (const h of hoists) script.moveDirectory(h.name, h.path);
  const parents = new Set(['', ...hoists.map((h) => parentOf(h.path))]);
  for (const dir of parents) script.setField(dir, 'links_count', linkCount(entries, dir));
}
