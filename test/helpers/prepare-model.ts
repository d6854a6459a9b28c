// Tree-model fixtures for preparation-step tests: a PrepareContext that keeps file
// contents in memory (checksums computed as ostree does), and a tree built from a
// list of entries, without a repository or a tarball.
import { sha256Hex } from '../../src/ostree/checksum.js';
import { encodeContentHeader, type FileMeta } from '../../src/ostree/file-header.js';
import { S_IFLNK, S_IFREG } from '../../src/ostree/validate.js';
import type { PrepareContext } from '../../src/commit/prepare-context.js';
import { dirMeta, Tree, type FileNode } from '../../src/tree/tree.js';

export interface MemoryContext extends PrepareContext {
  /** Content of the node, as a string (tests compare text). */
  text(node: FileNode): string;
}

export function memoryContext(): MemoryContext {
  const contents = new Map<string, Buffer>();
  const store = (meta: FileMeta, data: Buffer): FileNode => {
    const checksum = sha256Hex(encodeContentHeader(meta), data);
    contents.set(checksum, data);
    return { kind: 'file', meta, size: data.length, checksum };
  };
  const readFile = (node: FileNode): Buffer => {
    const data = contents.get(node.checksum);
    if (!data) throw new Error(`no content for ${node.checksum}`);
    return data;
  };
  return {
    readFile,
    text: (node) => readFile(node).toString('utf8'),
    newFile: (data, o = {}) => store({ uid: o.uid ?? 0, gid: o.gid ?? 0, mode: S_IFREG | (o.perms ?? 0o644), symlinkTarget: '', xattrs: o.xattrs ?? [] }, data),
    newSymlink: (target, o = {}) => store({ uid: o.uid ?? 0, gid: o.gid ?? 0, mode: S_IFLNK | 0o777, symlinkTarget: target, xattrs: o.xattrs ?? [] }, Buffer.alloc(0)),
  };
}

export type ModelEntry =
  | { path: string; type: 'dir'; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'file'; content?: string | Buffer; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'symlink'; target: string };

/** Shorthands: "dir/" is a directory, "a -> b" a symlink, "path" (or [path, content]) a file. */
export type ModelSpec = string | [string, string | Buffer] | ModelEntry;

function entryOf(spec: ModelSpec): ModelEntry {
  if (typeof spec !== 'string') return Array.isArray(spec) ? { path: spec[0], type: 'file', content: spec[1] } : spec;
  if (spec.includes(' -> ')) {
    const [path, target] = spec.split(' -> ');
    return { path, type: 'symlink', target };
  }
  return spec.endsWith('/') ? { path: spec.slice(0, -1), type: 'dir' } : { path: spec, type: 'file', content: '' };
}

export function modelTree(ctx: PrepareContext, specs: ModelSpec[]): Tree {
  const tree = new Tree();
  const parent = dirMeta(0, 0, 0o755);
  for (const e of specs.map(entryOf)) {
    if (e.type === 'dir') tree.setDir(e.path, dirMeta(e.uid ?? 0, e.gid ?? 0, e.mode ?? 0o755), parent);
    else if (e.type === 'symlink') tree.setFile(e.path, ctx.newSymlink(e.target), parent);
    else {
      const data = typeof e.content === 'string' || e.content === undefined ? Buffer.from(e.content ?? '') : e.content;
      tree.setFile(e.path, ctx.newFile(data, { perms: e.mode, uid: e.uid, gid: e.gid }), parent);
    }
  }
  return tree;
}

/** Every path of the tree with a short description: "dir 0755", "file 0644 <text>", "-> target". */
export function describeTree(ctx: MemoryContext, tree: Tree, under = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, node] of tree.walk()) {
    if (under !== '' && path !== under && !path.startsWith(under + '/')) continue;
    if (node.kind === 'dir') out.set(path, `dir ${(node.meta.mode & 0o7777).toString(8).padStart(4, '0')}`);
    else if ((node.meta.mode & 0o170000) === S_IFLNK) out.set(path, `-> ${node.meta.symlinkTarget}`);
    else out.set(path, `file ${(node.meta.mode & 0o7777).toString(8).padStart(4, '0')} ${ctx.text(node)}`);
  }
  return out;
}
