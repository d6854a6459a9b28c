// The physical sysroot as a flat, ordered list of entries: what the tar writer and
// both ext4 writers consume. Parents come before children and a hardlink after the
// entry it links to, so every writer can create entries in list order.
import type { Xattr } from '../ostree/xattrs.js';

/** Where a regular file's bytes come from. */
export type FileContent =
  /** A content object of the source (archive) repository. */
  | { object: string }
  /** Bytes generated here (config, refs, metadata objects, boot config). */
  | { data: Buffer };

export interface Owned {
  path: string;
  uid: number;
  gid: number;
  /** Permission bits only (07777). */
  perms: number;
  xattrs: Xattr[];
  /** Seconds since the epoch. */
  mtime: number;
}

export interface DirEntry extends Owned {
  kind: 'dir';
  /** chattr +i, as ostree admin deploy sets on a deployment root. */
  immutable?: boolean;
}

export interface FileEntry extends Owned {
  kind: 'file';
  size: number;
  content: FileContent;
}

export interface SymlinkEntry extends Owned {
  kind: 'symlink';
  target: string;
}

/** Another name for an earlier file or symlink (same inode). */
export interface HardlinkEntry {
  kind: 'hardlink';
  path: string;
  to: FileEntry | SymlinkEntry;
}

export type SysrootEntry = DirEntry | FileEntry | SymlinkEntry | HardlinkEntry;

/** An entry that owns an inode (everything but a hardlink). */
export type InodeEntry = DirEntry | FileEntry | SymlinkEntry;

export const SYMLINK_PERMS = 0o777;

/** The inode an entry names: itself, or the entry a hardlink points at. */
export function inodeOf(entry: SysrootEntry): InodeEntry {
  return entry.kind === 'hardlink' ? entry.to : entry;
}

/** Shorthands for entries the sysroot builder creates itself: root-owned, no xattrs. */
export function rootDir(path: string, mtime: number, perms = 0o755): DirEntry {
  return { kind: 'dir', path, uid: 0, gid: 0, perms, xattrs: [], mtime };
}

export function rootFile(path: string, data: Buffer | string, mtime: number, perms = 0o644): FileEntry {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { kind: 'file', path, uid: 0, gid: 0, perms, xattrs: [], mtime, size: bytes.length, content: { data: bytes } };
}

export function rootSymlink(path: string, target: string, mtime: number): SymlinkEntry {
  return { kind: 'symlink', path, uid: 0, gid: 0, perms: SYMLINK_PERMS, xattrs: [], mtime, target };
}

export function hardlink(path: string, to: FileEntry | SymlinkEntry): HardlinkEntry {
  return { kind: 'hardlink', path, to };
}

/** The directory an entry is in ('' for the top level). */
export function parentOf(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf('/')));
}

/** The entries grouped by the directory they are in, each group in list order (the top '' is in none). */
export function entriesByDirectory(entries: readonly SysrootEntry[]): Map<string, SysrootEntry[]> {
  const inDir = new Map<string, SysrootEntry[]>();
  for (const e of entries) {
    if (e.path === '') continue;
    const parent = parentOf(e.path);
    const list = inDir.get(parent);
    if (list) list.push(e);
    else inDir.set(parent, [e]);
  }
  return inDir;
}
