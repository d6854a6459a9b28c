// The order entries are written in: depth first, names in order, except that
// ostree/ comes first at the top and repo/ first in it, so the objects exist before
// the deployment and /boot link to them. Every directory is then followed by all of
// its entries (what GNU tar needs to keep directory times when it extracts), and
// the invariant every writer relies on holds: parents and hardlink targets first.
import type { SysrootEntry } from './sysroot-entry.js';

/**
 * A string that sorts in that order: components joined by NUL (a directory sorts right
 * before its entries), ostree/ and ostree/repo/ marked with \x01 to precede their
 * siblings. Code-unit order, not strcmp's: any order with these properties will do,
 * ext4 keeps none.
 */
function sortKey(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'ostree') {
    parts[0] = '\x01ostree';
    if (parts[1] === 'repo') parts[1] = '\x01repo';
  }
  return parts.join('\0');
}

export function sortEntries(entries: SysrootEntry[]): SysrootEntry[] {
  const keyed = entries.map((e) => ({ e, key: sortKey(e.path) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.e);
}

export function checkEntryOrder(entries: readonly SysrootEntry[]): void {
  const seen = new Map<string, SysrootEntry['kind']>();
  for (const e of entries) {
    if (seen.has(e.path)) throw new Error(`internal: sysroot path ${e.path || '/'} listed twice`);
    if (e.path !== '') {
      const slash = e.path.lastIndexOf('/');
      const parent = slash < 0 ? '' : e.path.slice(0, slash);
      if (seen.get(parent) !== 'dir') throw new Error(`internal: ${e.path} listed before its directory ${parent || '/'}`);
    }
    if (e.kind === 'hardlink' && !seen.has(e.to.path)) throw new Error(`internal: hardlink ${e.path} listed before ${e.to.path}`);
    seen.set(e.path, e.kind);
  }
}

/**
 * The same entries for a consumer that works while we produce them (mke2fs -d -):
 * every directory first, then the other entries, each inode a hardlink names moved
 * to just before its first hardlink. In the canonical order the repository's
 * objects (content: our work, inflating) all come before the deployment (hardlinks:
 * mke2fs's work, path lookups), so each side idled through half the run;
 * interleaved, both work throughout. Parents and hardlink targets still come first.
 */
export function streamingOrder(entries: readonly SysrootEntry[]): SysrootEntry[] {
  const linked = new Set<SysrootEntry>();
  for (const e of entries) if (e.kind === 'hardlink') linked.add(e.to);
  const out: SysrootEntry[] = entries.filter((e) => e.kind === 'dir');
  const placed = new Set<SysrootEntry>();
  for (const e of entries) {
    if (e.kind === 'dir' || linked.has(e)) continue;
    if (e.kind === 'hardlink' && !placed.has(e.to)) {
      out.push(e.to);
      placed.add(e.to);
    }
    out.push(e);
  }
  return out;
}
