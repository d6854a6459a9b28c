// The order entries are written in: depth first, names in order, except that
// ostree/ comes first at the top and repo/ first in it, so the objects exist before
// the deployment and /boot link to them. Every directory is then followed by all of
// its entries (what GNU tar needs to keep directory times when it extracts), and
// the invariant every writer relies on holds: parents and hardlink targets first.
import { baseName } from '../prepare/tree-paths.js';
import { entriesByDirectory, parentOf, type SysrootEntry } from './sysroot-entry.js';

/**
 * The order of a directory's entries: names in code-unit order (any order will do,
 * ext4 keeps none), except ostree/ first at the top and repo/ first in ostree/.
 */
function nameKey(parent: string, name: string): string {
  return (parent === '' && name === 'ostree') || (parent === 'ostree' && name === 'repo') ? `\x01${name}` : name;
}

/**
 * The entries in that order, checked: each path once, each one in a directory
 * listed before it, each hardlink after its target. Grouped by directory, sorted by
 * name there and walked depth first: sorting whole paths spent its time comparing
 * their long shared prefixes (ostree/deploy/<os>/deploy/<64 hex>.0/…), 0.5 s for
 * the 130k entries of the big corpus. Fills `names`, when given, with the names in
 * each directory that has entries: the image size needs them, and here they are at hand.
 */
export function sortEntries(entries: readonly SysrootEntry[], names?: Map<string, string[]>): SysrootEntry[] {
  const inDir = entriesByDirectory(entries);
  const roots = entries.filter((e) => e.path === '');
  if (roots.length !== 1 || roots[0]!.kind !== 'dir') throw new Error(`internal: the sysroot has ${roots.length} root directories`);
  const out: SysrootEntry[] = [];
  const placed = new Set<SysrootEntry>();
  const visit = (e: SysrootEntry): void => {
    if (e.kind === 'hardlink' && !placed.has(e.to)) throw new Error(`internal: hardlink ${e.path} listed before ${e.to.path}`);
    out.push(e);
    placed.add(e);
    const children = e.kind === 'dir' ? inDir.get(e.path) : undefined;
    if (!children) return;
    const keyed = children.map((c) => {
      const name = baseName(c.path);
      return { c, name, key: nameKey(e.path, name) };
    });
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    names?.set(e.path, keyed.map((k) => k.name));
    keyed.forEach(({ c }, i) => {
      if (i > 0 && keyed[i - 1]!.key === keyed[i]!.key) throw new Error(`internal: sysroot path ${c.path} listed twice`);
      visit(c);
    });
  };
  visit(roots[0]!);
  if (out.length !== entries.length) {
    const orphan = entries.find((e) => !placed.has(e))!;
    throw new Error(`internal: ${orphan.path} has no directory ${parentOf(orphan.path) || '/'} to be listed in`);
  }
  return out;
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
