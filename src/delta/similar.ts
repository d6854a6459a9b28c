// Pairs each new regular file of the to-commit with an old file it probably
// evolved from, to send it as a patch. ostree matches only by basename and size
// (±30%); we try, in order: the same path; the same path with every digit run
// equal (kernel module trees, versioned libraries: /lib/modules/6.1.0-47/… →
// 6.1.0-50/…); then ostree's basename rule, including its "fuzzy" variant
// that compares names up to the first dot.
import type { ContentInfo } from './content-source.js';

/** Files that are already compressed this way never patch well (as ostree). */
const UNPATCHABLE = /\.(xz|bz2|zst|lz4)$/;
const SIMILAR_SIZE = 0.3;

export interface NewFile {
  checksum: string;
  path: string;
  size: number;
}

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const normalized = (path: string): string => path.replace(/\d+/g, '#');
const fuzzy = (name: string): string | null => {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : null;
};

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * @param oldPaths every file path of the from-commit → its content checksum
 * @param oldInfo  reads an old object's header (size, mode); null if unusable
 * @returns new checksum → old checksum
 */
export function pairSimilarFiles(newFiles: NewFile[], oldPaths: Map<string, string>, oldInfo: (checksum: string) => ContentInfo | null): Map<string, string> {
  const byNormalized = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const byFuzzyName = new Map<string, string[]>();
  for (const [path, checksum] of oldPaths) {
    if (UNPATCHABLE.test(path)) continue;
    push(byNormalized, normalized(path), checksum);
    const name = basename(path);
    push(byName, name, checksum);
    const f = fuzzy(name);
    if (f) push(byFuzzyName, f, checksum);
  }

  const usable = (checksum: string): ContentInfo | null => {
    const info = oldInfo(checksum);
    // The client reads the old object to patch it: it must be a world-readable
    // regular file (ostree's rule, for bare-user clients of bare repos).
    return info && info.size > 0 && (info.meta.mode & 0o170000) === 0o100000 && (info.meta.mode & 0o004) !== 0 ? info : null;
  };
  /** The candidate closest in size, if within `tolerance` (a ratio). */
  const closest = (candidates: string[] | undefined, size: number, tolerance: number): string | null => {
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const c of candidates ?? []) {
      const info = usable(c);
      if (!info) continue;
      const distance = Math.abs(info.size - size);
      if (distance <= size * tolerance && distance < bestDistance) {
        best = c;
        bestDistance = distance;
      }
    }
    return best;
  };

  const pairs = new Map<string, string>();
  for (const f of newFiles) {
    if (f.size === 0 || UNPATCHABLE.test(f.path)) continue;
    const name = basename(f.path);
    const fuzzyName = fuzzy(name);
    const samePath = oldPaths.get(f.path);
    const from =
      (samePath !== undefined ? closest([samePath], f.size, 3) : null) ??
      closest(byNormalized.get(normalized(f.path)), f.size, 3) ??
      closest(byName.get(name), f.size, SIMILAR_SIZE) ??
      (fuzzyName ? closest(byFuzzyName.get(fuzzyName), f.size, SIMILAR_SIZE) : null);
    if (from && from !== f.checksum) pairs.set(f.checksum, from);
  }
  return pairs;
}
