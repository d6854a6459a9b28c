// A kernel, initramfs or device tree on its way into the tree: either a file
// already in the tree (moved, never copied: its content object is reused) or a
// file on the build host (written as a new object when placed).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PrepareContext } from '../commit/prepare-context.js';
import type { FileNode, Tree } from '../tree/tree.js';
import type { BootFileSource } from './kernel-options.js';
import { PrepareError } from './prepare-error.js';
import { baseName, regularFileAt } from './tree-paths.js';

export interface BootFile {
  /** Where it comes from, for messages: a tree path or a host path. */
  label: string;
  /** Its file name (a device tree keeps it under dtb/; a kernel's may carry the version). */
  name: string;
  /** Tree paths that held it (the file and the symlinks that led to it); removed when it moves. */
  treePaths: string[];
  /** The resolved tree path, for a file in the tree. */
  treePath?: string;
  /** The node to place (created on first use for a host file). */
  node(): FileNode;
  data(): Buffer;
}

export function treeBootFile(ctx: PrepareContext, path: string, node: FileNode, via: string[] = []): BootFile {
  return {
    label: path,
    name: baseName(path),
    treePaths: [...new Set([...via, path])],
    treePath: path,
    node: () => node,
    data: () => ctx.readFile(node), // prepareTree's context keeps what it read
  };
}

/** A file made by preparation itself (the empty initramfs placeholder). */
export function generatedBootFile(ctx: PrepareContext, name: string, data: Buffer): BootFile {
  let node: FileNode | undefined;
  return { label: `(generated ${name})`, name, treePaths: [], node: () => (node ??= ctx.newFile(data, { perms: 0o644 })), data: () => data };
}

function hostBootFile(ctx: PrepareContext, path: string): BootFile {
  let data: Buffer | undefined;
  let node: FileNode | undefined;
  const load = (): Buffer => (data ??= readFileSync(path));
  return {
    label: path,
    name: baseName(path),
    treePaths: [],
    node: () => (node ??= ctx.newFile(load(), { perms: 0o644 })),
    data: load,
  };
}

export const isHostFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/** The file named `name` in the tree's boot/ (symlinks followed inside the tree). */
export function bootFileInTree(tree: Tree, ctx: PrepareContext, name: string): BootFile | undefined {
  const path = `boot/${baseName(name)}`;
  const found = regularFileAt(tree, path);
  return found ? treeBootFile(ctx, found.path, found.node, [path]) : undefined;
}

export interface LookupResult {
  found?: BootFile;
  /** Every place tried, for the "not found" message. */
  tried: string[];
}

/** Resolves a source: the host file, or the first name found in boot/ or deployDir. */
export function lookupBootFile(tree: Tree, ctx: PrepareContext, source: BootFileSource, deployDir: string | undefined, step: string): LookupResult {
  if ('file' in source) {
    if (!isHostFile(source.file)) throw new PrepareError(step, `${source.file}: no such file`);
    return { found: hostBootFile(ctx, source.file), tried: [source.file] };
  }
  const tried: string[] = [];
  for (const name of source.names) {
    tried.push(`boot/${baseName(name)}`);
    const inTree = bootFileInTree(tree, ctx, name);
    if (inTree) return { found: inTree, tried };
    if (deployDir !== undefined) {
      const onHost = join(deployDir, baseName(name));
      tried.push(onHost);
      if (isHostFile(onHost)) return { found: hostBootFile(ctx, onHost), tried };
    }
  }
  return { tried };
}

/** Whether two boot files hold the same bytes (cheap when both are tree objects with equal metadata). */
export function sameContent(a: BootFile, b: BootFile): boolean {
  if (a.treePath !== undefined && a.treePath === b.treePath) return true;
  if (a.treePath !== undefined && b.treePath !== undefined && a.node().checksum === b.node().checksum) return true;
  return a.data().equals(b.data());
}

/** Drops items whose file has the content of an earlier one's (which takes over its tree paths). */
export function distinctByContent<T>(items: T[], fileOf: (item: T) => BootFile): T[] {
  const out: T[] = [];
  for (const item of items) {
    const file = fileOf(item);
    const same = out.find((o) => sameContent(fileOf(o), file));
    if (same) fileOf(same).treePaths = [...new Set([...fileOf(same).treePaths, ...file.treePaths])];
    else out.push(item);
  }
  return out;
}
