// Extended attributes as ostree stores them: a(ayay) of (name + NUL, value),
// sorted by name bytewise — the canonical order libglnx reads them in, so a
// checkout re-committed by real ostree gives back the same checksum.
import { firstMemberEnd, forEachElement } from '../gvariant/framing.js';
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

/** A name as stored, [from, end) of `buf`, without its NUL. */
function nameOf(buf: Buffer, from: number, end: number): string {
  return buf.toString('utf8', from, end > from && buf[end - 1] === 0 ? end - 1 : end);
}

export function xattrsFromVariant(v: GvValue): Xattr[] {
  return (v as [Buffer, Buffer][]).map(([name, value]) => ({ name: nameOf(name, 0, name.length), value }));
}

/** The a(ayay) at [start, end) of `buf`, read in place (framing.ts says why); the values are copies. */
export function xattrsAt(buf: Buffer, start: number, end: number): Xattr[] {
  const xattrs: Xattr[] = [];
  forEachElement(buf, start, end, (from, to) => {
    const name = firstMemberEnd(buf, from, to, from);
    xattrs.push({ name: nameOf(buf, from, name.end), value: Buffer.from(buf.subarray(name.end, name.framing)) });
  });
  return xattrs;
}
