// Extended attributes as ostree stores them: a(ayay) of (name + NUL, value),
// sorted by name bytewise — the canonical order libglnx reads them in, so a
// checkout re-committed by real ostree gives back the same checksum.
import type { GvValue } from '../gvariant/index.js';
import { compareNames } from './dirtree.js';

export interface Xattr {
  name: string;
  value: Buffer;
}

export function canonicalXattrs(xattrs: readonly Xattr[]): Xattr[] {
  return [...xattrs].sort((a, b) => compareNames(a.name, b.name));
}

/** To the a(ayay) GVariant value, in canonical order. */
export function xattrsToVariant(xattrs: readonly Xattr[]): GvValue {
  return canonicalXattrs(xattrs).map((x) => [Buffer.concat([Buffer.from(x.name), Buffer.from([0])]), x.value]);
}

export function xattrsFromVariant(v: GvValue): Xattr[] {
  return (v as [Buffer, Buffer][]).map(([name, value]) => {
    const end = name.length > 0 && name[name.length - 1] === 0 ? name.length - 1 : name.length;
    return { name: name.toString('utf8', 0, end), value };
  });
}
