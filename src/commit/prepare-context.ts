// What preparation steps may do besides editing the tree: read the content of a
// file that is already in it, and add new files (written as objects right away).
import type { FileMeta } from '../ostree/file-header.js';
import { S_IFLNK, S_IFREG } from '../ostree/validate.js';
import type { Xattr } from '../ostree/xattrs.js';
import { readContentObject } from '../repo/content-reader.js';
import type { Transaction } from '../repo/transaction.js';
import type { FileNode } from '../tree/tree.js';
import { stageContentObject } from './stage-object.js';

export interface NewFileOptions {
  uid?: number;
  gid?: number;
  /** Permission bits, default 0644. */
  perms?: number;
  xattrs?: Xattr[];
}

export interface PrepareContext {
  /** The bytes of a regular file in the tree. */
  readFile(node: FileNode): Buffer;
  /** A new regular file node holding `data`. */
  newFile(data: Buffer, opts?: NewFileOptions): FileNode;
  /** A new symlink node pointing at `target`. */
  newSymlink(target: string, opts?: Omit<NewFileOptions, 'perms'>): FileNode;
}

export function createPrepareContext(tx: Transaction): PrepareContext {
  const store = (meta: FileMeta, data: Buffer): FileNode => ({ kind: 'file', meta, size: data.length, checksum: stageContentObject(tx, meta, data) });
  return {
    readFile: (node) => readContentObject(tx.repo, node.checksum, tx.objectPath(node.checksum, 'file')).data,
    newFile: (data, o = {}) => store({ uid: o.uid ?? 0, gid: o.gid ?? 0, mode: S_IFREG | (o.perms ?? 0o644), symlinkTarget: '', xattrs: o.xattrs ?? [] }, data),
    newSymlink: (target, o = {}) => store({ uid: o.uid ?? 0, gid: o.gid ?? 0, mode: S_IFLNK | 0o777, symlinkTarget: target, xattrs: o.xattrs ?? [] }, Buffer.alloc(0)),
  };
}
