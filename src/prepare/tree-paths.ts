// Path operations on the tree model that preparation steps share: following
// symlinks inside the tree (never on the host), listing what a subtree holds, and
// replacing a path while saying what was lost.
import { isRegular, isSymlink } from '../ostree/validate.js';
import { dirMeta, splitPath, type DirNode, type FileNode, type Tree, type TreeNode } from '../tree/tree.js';

/** Metadata of directories the steps create: root:root 0755, as Yocto's base-files. */
export const ROOT_DIR_META = dirMeta(0, 0, 0o755);

/** As Linux's MAXSYMLINKS: more links than this in one lookup is a loop. */
const MAX_SYMLINKS = 40;

export interface ResolvedPath {
  /** The path with every symlink followed. */
  path: string;
  node: TreeNode;
}

/**
 * Looks `path` up following symlinks inside the tree, as the device would see it
 * with this tree as its root. Undefined when it dangles or loops.
 */
export function resolveInTree(tree: Tree, path: string): ResolvedPath | undefined {
  let pending = splitPath(path);
  const walked: string[] = [];
  let node: TreeNode = tree.root;
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      walked.pop();
      node = tree.lookup(walked.join('/'))!;
      continue;
    }
    if (node.kind !== 'dir') return undefined;
    const next = node.children.get(name);
    if (!next) return undefined;
    if (next.kind === 'file' && isSymlink(next.meta.mode)) {
      if (++links > MAX_SYMLINKS) return undefined;
      const target = next.meta.symlinkTarget;
      if (target.startsWith('/')) {
        walked.length = 0;
        node = tree.root;
      }
      pending = [...target.split('/'), ...pending];
      continue;
    }
    walked.push(name);
    node = next;
  }
  return { path: walked.join('/'), node };
}

/** The regular file at `path` (symlinks followed), or undefined. */
export function regularFileAt(tree: Tree, path: string): ResolvedPath & { node: FileNode } | undefined {
  const found = resolveInTree(tree, path);
  return found && found.node.kind === 'file' && isRegular(found.node.meta.mode) ? { path: found.path, node: found.node } : undefined;
}

/** Every node under `dir` (not `dir` itself), parents first, with paths below `prefix`. */
export function nodesUnder(tree: Tree, dir: DirNode, prefix: string): [string, TreeNode][] {
  return [...tree.walk(dir, prefix === '' ? '' : prefix + '/')];
}

/** Paths of the regular files under `node` ([path] when it is one itself). */
export function regularFilesUnder(tree: Tree, path: string, node: TreeNode): string[] {
  if (node.kind === 'file') return isRegular(node.meta.mode) ? [path] : [];
  return nodesUnder(tree, node, path)
    .filter(([, n]) => n.kind === 'file' && isRegular(n.meta.mode))
    .map(([p]) => p);
}

/** The names in a directory of the tree, sorted; [] when it is missing or not a directory. */
export function childNames(tree: Tree, path: string): string[] {
  const dir = tree.lookup(path);
  return dir?.kind === 'dir' ? [...dir.children.keys()].sort() : [];
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
