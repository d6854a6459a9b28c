// The entries that recreate /var on the device, in the two forms meta-updater
// writes: systemd tmpfiles.d lines, or a shell script for sysvinit images. Also reads
// what the image itself already declares (tmpfiles.d, sysvinit's volatiles), so that
// a path is never created by two mechanisms that disagree.
import type { FileNode, Tree } from '../tree/tree.js';
import { regularFileAt } from './tree-paths.js';

export type TmpfilesEntry =
  | { type: 'd' | 'f'; path: string; perms: number; uid: number; gid: number }
  | { type: 'L'; path: string; target: string };

export const dirEntry = (path: string, perms: number, uid = 0, gid = 0): TmpfilesEntry => ({ type: 'd', path, perms, uid, gid });

const octal = (perms: number): string => perms.toString(8).padStart(4, '0');
const owner = (id: number): string => (id === 0 ? 'root' : String(id));

/** Control characters cannot be written in either form (a newline ends the line). */
export const expressible = (text: string): boolean => !/[\x00-\x1f\x7f]/.test(text);

/** systemd-tmpfiles unquotes fields ("…" with \\ escapes) and expands %-specifiers. */
const specifiersEscaped = (text: string): string => text.replace(/%/g, '%%');

function pathField(path: string): string {
  const plain = specifiersEscaped(path);
  return /[\s"'\\]/.test(plain) ? `"${plain.replace(/["\\]/g, '\\$&')}"` : plain;
}

export function tmpfilesLine(e: TmpfilesEntry): string {
  const path = pathField(e.path);
  // The argument is the rest of the line, taken as it is but for specifiers.
  if (e.type === 'L') return `L ${path} - - - - ${specifiersEscaped(e.target)}`;
  return `${e.type} ${path} ${octal(e.perms)} ${owner(e.uid)} ${owner(e.gid)} -`;
}

export function renderTmpfilesConf(entries: readonly TmpfilesEntry[]): string {
  return entries.map((e) => tmpfilesLine(e) + '\n').join('');
}

const shellWord = (text: string): string => (/^[A-Za-z0-9_./+:=@%-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

// Like systemd-tmpfiles: parents are created, and a symlink the device already has
// is never followed (os-init makes var/run -> ../run).
const SCRIPT_HEAD = `#!/bin/sh
# Written by yocto-ostree: recreates in the deployment's /var what the image needs
# (the systemd form of these entries is a tmpfiles.d file). Run from rcS.d.
mkd() { [ -L "$1" ] || { mkdir -p "$1" && chmod "$2" "$1" && chown "$3" "$1"; }; }
mkl() { [ -e "$1" ] || [ -L "$1" ] || { mkdir -p "\${1%/*}" && ln -s "$2" "$1"; }; }
mkf() { [ -e "$1" ] || [ -L "$1" ] || { mkdir -p "\${1%/*}" && : >"$1" && chmod "$2" "$1" && chown "$3" "$1"; }; }
`;

export function initScriptLine(e: TmpfilesEntry): string {
  if (e.type === 'L') return `mkl ${shellWord(e.path)} ${shellWord(e.target)}`;
  return `${e.type === 'd' ? 'mkd' : 'mkf'} ${shellWord(e.path)} ${octal(e.perms)} ${e.uid}:${e.gid}`;
}

export function renderInitScript(entries: readonly TmpfilesEntry[]): string {
  return SCRIPT_HEAD + entries.map((e) => initScriptLine(e) + '\n').join('');
}

/** A declared path as systemd-tmpfiles reads it (quotes and backslash escapes removed). */
function plainPath(field: string): string {
  const unquoted = /^(["']).*\1$/.test(field) ? field.slice(1, -1) : field;
  return unquoted.replace(/\\(.)/g, '$1').replace(/\/+$/, '');
}

/** Directories whose files declare paths: tmpfiles.d (path is field 2), volatiles (field 5). */
const DECLARATION_DIRS: { dir: string; field: number }[] = [
  { dir: 'usr/lib/tmpfiles.d', field: 1 },
  { dir: 'usr/etc/tmpfiles.d', field: 1 },
  { dir: 'usr/etc/default/volatiles', field: 4 },
];

/** Absolute paths the image's own tmpfiles.d and volatiles files already create. */
export function declaredPaths(tree: Tree, read: (path: string) => Buffer | undefined): Set<string> {
  const out = new Set<string>();
  for (const { dir, field } of DECLARATION_DIRS) {
    const node = tree.lookup(dir);
    if (node?.kind !== 'dir') continue;
    for (const name of node.children.keys()) {
      const text = read(`${dir}/${name}`)?.toString('utf8') ?? '';
      for (const line of text.split('\n')) {
        const fields = line.trim().split(/\s+/);
        if (fields[0] === '' || fields[0].startsWith('#') || fields.length <= field) continue;
        out.add(plainPath(fields[field]));
      }
    }
  }
  return out;
}

/** A reader for declaredPaths: regular files of the tree (symlinks followed). */
export function treeFileReader(tree: Tree, readNode: (node: FileNode) => Buffer): (path: string) => Buffer | undefined {
  return (path) => {
    const found = regularFileAt(tree, path);
    return found ? readNode(found.node) : undefined;
  };
}
