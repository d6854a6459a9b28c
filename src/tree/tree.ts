// The in-memory tree a commit is built from: directories with their metadata and
// children; files carry their metadata and the checksum of their content object
// (filled in once the object is written). Preparation steps edit this model.
import type { DirMeta } from '../ostree/dirmeta.js';
import type { FileMeta } from '../ostree/file-header.js';
import { compareNames } from '../ostree/dirtree.js';
import { S_IFDIR } from '../ostree/validate.js';

export interface DirNode {
  kind: 'dir';
  meta: DirMeta;
  children: Map<string, TreeNode>;
}

export interface FileNode {
  kind: 'file';
  meta: FileMeta;
  size: number;
  /** Content object checksum; empty until the object is written. */
  checksum: string;
}

export type TreeNode = DirNode | FileNode;

export class TreeError extends Error {}

export function dirMeta(uid: number, gid: number, perms: number): DirMeta {
  return { uid, gid, mode: S_IFDIR | perms, xattrs: [] };
}

export function newDir(meta: DirMeta): DirNode {
  return { kind: 'dir', meta, children: new Map() };
}

export function splitPath(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

export class Tree {
  /** Root metadata defaults to root:root 0755, as ostree's tar import gives it. */
  readonly root: DirNode = newDir(dirMeta(0, 0, 0o755));

  lookup(path: string): TreeNode | undefined {
    let node: TreeNode = this.root;
    for (const name of splitPath(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: TreeNode | undefined = node.children.get(name);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  /**
   * The directory at `path`, creating missing components with `missingMeta`
   * (a fresh copy each). A file in the way is an error.
   */
  ensureDir(path: string, missingMeta: DirMeta): DirNode {
    let dir = this.root;
    const walked: string[] = [];
    for (const name of splitPath(path)) {
      walked.push(name);
      let next = dir.children.get(name);
      if (!next) {
        next = newDir({ ...missingMeta, xattrs: [...missingMeta.xattrs] });
        dir.children.set(name, next);
      }
      if (next.kind !== 'dir') throw new TreeError(`${walked.join('/')} is a file, not a directory`);
      dir = next;
    }
    return dir;
  }

  /** Sets a directory's metadata, creating it (and missing parents) if needed. */
  setDir(path: string, meta: DirMeta, missingMeta: DirMeta): DirNode {
    const existing = this.lookup(path);
    if (existing && existing.kind !== 'dir') throw new TreeError(`cannot replace file ${path} with a directory`);
    const dir = this.ensureDir(path, missingMeta);
    dir.meta = meta;
    return dir;
  }

  /** Puts a file node at `path` (replacing a file there; a directory there is an error). */
  setFile(path: string, node: FileNode, missingMeta: DirMeta): void {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new TreeError('cannot replace the root directory with a file');
    const parent = this.ensureDir(parts.join('/'), missingMeta);
    if (parent.children.get(name)?.kind === 'dir') throw new TreeError(`cannot replace directory ${path} with a file`);
    parent.children.set(name, node);
  }

  /** Removes `path` and returns what was there. */
  remove(path: string): TreeNode | undefined {
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) throw new TreeError('cannot remove the root directory');
    const parent = this.lookup(parts.join('/'));
    if (!parent || parent.kind !== 'dir') return undefined;
    const node = parent.children.get(name);
    parent.children.delete(name);
    return node;
  }

  /** Visits every node depth-first, parents before children, names in byte order. */
  *walk(dir: DirNode = this.root, prefix = ''): Generator<[string, TreeNode]> {
    for (const name of [...dir.children.keys()].sort(compareNames)) {
      const node = dir.children.get(name)!;
      const path = prefix + name;
      yield [path, node];
      if (node.kind === 'dir') yield* this.walk(node, path + '/');
    }
  }
}
