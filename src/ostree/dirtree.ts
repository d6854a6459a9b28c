// dirtree objects: (a(say)a(sayay)) = files (name, content checksum) and
// subdirectories (name, dirtree checksum, dirmeta checksum), each sorted by name
// bytewise (strcmp), as ostree's create_tree_variant_from_hashes does.
import { offsetWidth, readOffset } from '../gvariant/deserialize.js';
import { encodeVariant, GVariantFormatError } from '../gvariant/index.js';
import { checksumToBytes } from './checksum.js';

export interface DirTree {
  files: { name: string; checksum: string }[];
  dirs: { name: string; treeChecksum: string; metaChecksum: string }[];
}

const DIRTREE = '(a(say)a(sayay))';

/**
 * strcmp order of the names' UTF-8 bytes, which is code point order. UTF-16 code
 * units compare the same way below the surrogates (U+D800), so the names of a real
 * tree never leave the loop; encoding both names for every comparison was 25 ms of
 * otaimg's tree walks on v2.
 */
export function compareNames(a: string, b: string): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  return a.length - b.length;
}

export function encodeDirTree(tree: DirTree): Buffer {
  const files = [...tree.files].sort((a, b) => compareNames(a.name, b.name));
  const dirs = [...tree.dirs].sort((a, b) => compareNames(a.name, b.name));
  return encodeVariant(DIRTREE, [
    files.map((f) => [f.name, checksumToBytes(f.checksum)]),
    dirs.map((d) => [d.name, checksumToBytes(d.treeChecksum), checksumToBytes(d.metaChecksum)]),
  ]);
}

function fail(msg: string): never {
  throw new GVariantFormatError(`dirtree: ${msg}`);
}

/** Calls `visit` with the bounds of each element of an array of variable-size, byte-aligned elements in [start, end). */
function forEachElement(buf: Buffer, start: number, end: number, visit: (from: number, to: number) => void): void {
  const size = end - start;
  if (size === 0) return;
  const width = offsetWidth(size);
  const table = readOffset(buf, end - width, width);
  if (table > size || (size - table) % width !== 0) fail('array framing offsets out of range');
  let pos = 0;
  for (let at = start + table; at < end; at += width) {
    const itemEnd = readOffset(buf, at, width);
    if (itemEnd < pos || itemEnd > table) fail('array element offset out of range');
    visit(start + pos, start + itemEnd);
    pos = itemEnd;
  }
}

/** The name at [from, nameEnd): NUL-terminated, no NUL inside. */
function nameAt(buf: Buffer, from: number, nameEnd: number): string {
  if (nameEnd <= from || buf.indexOf(0, from) !== nameEnd - 1) fail('name is not a NUL-terminated string');
  return buf.toString('utf8', from, nameEnd - 1);
}

/** A 32-byte checksum at [from, to), as hex. */
function checksumAt(buf: Buffer, from: number, to: number): string {
  if (to - from !== 32) fail(`checksum of ${to - from} bytes`);
  return buf.toString('hex', from, to);
}

/**
 * Decoded here rather than by decodeVariant, with the same framing checks: the
 * sysroot and delta walks read every dirtree of a commit, cold, and the generic
 * decoder's dispatch per value took 100-150 ms for the 675 trees of v2.
 */
export function parseDirTree(bytes: Buffer): DirTree {
  const size = bytes.length;
  const width = offsetWidth(size);
  if (width === 0) fail('empty');
  const filesEnd = readOffset(bytes, size - width, width);
  if (filesEnd > size - width) fail('tuple member out of range');
  const tree: DirTree = { files: [], dirs: [] };
  forEachElement(bytes, 0, filesEnd, (from, to) => {
    const w = offsetWidth(to - from);
    const nameEnd = from + readOffset(bytes, to - w, w);
    if (nameEnd > to - w) fail('tuple member out of range');
    tree.files.push({ name: nameAt(bytes, from, nameEnd), checksum: checksumAt(bytes, nameEnd, to - w) });
  });
  forEachElement(bytes, filesEnd, size - width, (from, to) => {
    const w = offsetWidth(to - from);
    const nameEnd = from + readOffset(bytes, to - w, w);
    const treeEnd = from + readOffset(bytes, to - 2 * w, w);
    if (nameEnd > treeEnd || treeEnd > to - 2 * w) fail('tuple member out of range');
    tree.dirs.push({ name: nameAt(bytes, from, nameEnd), treeChecksum: checksumAt(bytes, nameEnd, treeEnd), metaChecksum: checksumAt(bytes, treeEnd, to - 2 * w) });
  });
  return tree;
}
