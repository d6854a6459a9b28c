// The boot checksum exactly as ostree 2022.7 computes it (ostree-sysroot-deploy.c,
// get_kernel_from_tree_usrlib_modules + checksum_dir_recurse; ostree-format.md §8.4):
// sha256 over the raw bytes of vmlinuz, then the initramfs, then the devicetree file
// or every file under dtb/ (strcmp order at each level, names not hashed).
import { createHash } from 'node:crypto';
import { compareNames } from '../ostree/dirtree.js';
import type { DirNode, Tree } from '../tree/tree.js';
import { resolveInTree } from './tree-paths.js';

const CHECKSUM = /^[0-9a-f]{64}$/;

/** The checksum after the last dash of a legacy-layout name (vmlinuz-<bootcsum>), if it has one. */
export function checksumSuffix(name: string): string | undefined {
  const suffix = name.slice(name.lastIndexOf('-') + 1);
  return name.includes('-') && CHECKSUM.test(suffix) ? suffix : undefined;
}

/** sha256 of the parts, concatenated with nothing between them. */
export function bootcsum(parts: Iterable<Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/**
 * Tree paths of the files under a dtb/ directory in the order ostree hashes them.
 * Symlinks are followed (ostree opens them); dangling ones are skipped, as ostree does.
 */
export function dtbDirFilesInOstreeOrder(tree: Tree, dir: DirNode, path: string): string[] {
  const out: string[] = [];
  for (const name of [...dir.children.keys()].sort(compareNames)) {
    const child = dir.children.get(name)!;
    const childPath = `${path}/${name}`;
    if (child.kind === 'dir') out.push(...dtbDirFilesInOstreeOrder(tree, child, childPath));
    else if (resolveInTree(tree, childPath)?.node.kind === 'file') out.push(childPath);
  }
  return out;
}
