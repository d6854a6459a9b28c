// dirtree objects: (a(say)a(sayay)) = files (name, content checksum) and
// subdirectories (name, dirtree checksum, dirmeta checksum), each sorted by name
// bytewise (strcmp), as ostree's create_tree_variant_from_hashes does.
import { decodeVariant, encodeVariant } from '../gvariant/index.js';
import { checksumFromBytes, checksumToBytes } from './checksum.js';

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

export function parseDirTree(bytes: Buffer): DirTree {
  const [files, dirs] = decodeVariant(DIRTREE, bytes) as [[string, Buffer][], [string, Buffer, Buffer][]];
  return {
    files: files.map(([name, csum]) => ({ name, checksum: checksumFromBytes(csum) })),
    dirs: dirs.map(([name, tree, meta]) => ({ name, treeChecksum: checksumFromBytes(tree), metaChecksum: checksumFromBytes(meta) })),
  };
}
