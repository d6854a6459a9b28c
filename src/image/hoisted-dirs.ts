// The fast path builds the busiest directories at the top of the filesystem and
// lets the debugfs pass move them into place. mke2fs -d resolves every tar member's
// directory, and every hardlink's target, from the root one component at a time,
// through a cache of 8 blocks that never holds a whole path: each component costs a
// read of its inode's table block and of its directory blocks, and their checksums.
// Nearly every member lies under the repository's objects (3 levels down) or the
// deployment root (5 levels down, its usr 6): built as /0, /1, … they are one level
// down. On v2, 298k block reads become ~160k, and mke2fs takes ~0.3 s less CPU.
import type { Sysroot } from '../sysroot/build-sysroot.js';
import { baseName } from '../prepare/tree-paths.js';
import { parentOf, type SysrootEntry } from '../sysroot/sysroot-entry.js';
import type { DebugfsScript } from './debugfs-script.js';

export interface Hoist {
  /** Where the directory ends up. */
  path: string;
  /** Its name at the top while mke2fs fills it. */
  name: string;
}

/**
 * A directory at least two levels down is hoisted when this share of all lookups
 * (one per member, one more per hardlink) would go through it, not counting those
 * that go through a hoisted directory below it. That bounds the hoists, hence the
 * top directory's size, to 2 × SHARE.
 */
const SHARE = 64;
const MIN_LOOKUPS = 32;

/** The directories to hoist, outermost first (the order they are moved back in). */
export function hoistedDirectories(sysroot: Sysroot): Hoist[] {
  const { entries, dirNames } = sysroot;
  const lookups = new Map<string, number>();
  const add = (dir: string, n: number): void => void lookups.set(dir, (lookups.get(dir) ?? 0) + n);
  for (const [dir, names] of dirNames) add(dir, names.length);
  for (const e of entries) if (e.kind === 'hardlink') add(parentOf(e.to.path), 1);
  const threshold = Math.max(MIN_LOOKUPS, entries.length / SHARE);
  // Deepest first: a directory's count is complete once all its subdirectories are done.
  const dirs = entries.filter((e) => e.kind === 'dir' && e.path !== '').map((e) => e.path);
  dirs.sort((a, b) => b.length - a.length);
  const chosen: string[] = [];
  for (const dir of dirs) {
    const n = lookups.get(dir) ?? 0;
    if (dir.includes('/') && n >= threshold) chosen.push(dir);
    else add(parentOf(dir), n);
  }
  chosen.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  const taken = new Set(dirNames.get('') ?? []);
  const hoists: Hoist[] = [];
  for (let i = 0; hoists.length < chosen.length; i++) {
    if (!taken.has(String(i))) hoists.push({ path: chosen[hoists.length]!, name: String(i) });
  }
  return hoists;
}

/** A sysroot path as mke2fs sees it, before the moves (memoized per directory). */
export function hoistedPath(hoists: readonly Hoist[]): (path: string) => string {
  const dirs = new Map<string, string>(hoists.map((h) => [h.path, h.name]));
  dirs.set('', '');
  const dirNow = (dir: string): string => {
    let now = dirs.get(dir);
    if (now === undefined) {
      const parent = dirNow(parentOf(dir));
      now = parent === '' ? baseName(dir) : `${parent}/${baseName(dir)}`;
      dirs.set(dir, now);
    }
    return now;
  };
  return (path) => {
    const hoisted = dirs.get(path);
    if (hoisted !== undefined) return hoisted;
    const parent = dirNow(parentOf(path));
    return parent === '' ? path : `${parent}/${baseName(path)}`;
  };
}

/**
 * The debugfs commands that move the directories into place, outermost first so
 * that each one's new parent is there. debugfs has no rename and its ln/unlink leave
 * link counts alone, so the parents' counts are set to what the final tree gives
 * them: subdirectories + "." + the entry in their parent (the root's lost+found,
 * which mke2fs adds, included).
 */
export function moveIntoPlace(script: DebugfsScript, hoists: readonly Hoist[], entries: readonly SysrootEntry[]): void {
  for (const h of hoists) script.moveDirectory(h.name, h.path);
  const links = new Map<string, number>([['', 3], ...hoists.map((h): [string, number] => [parentOf(h.path), 2])]);
  for (const e of entries) {
    if (e.kind !== 'dir' || e.path === '') continue;
    const n = links.get(parentOf(e.path));
    if (n !== undefined) links.set(parentOf(e.path), n + 1);
  }
  for (const [dir, n] of links) script.setField(dir, 'links_count', n);
}
