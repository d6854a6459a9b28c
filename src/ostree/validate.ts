// The name, ref and mode rules libostree applies (ot-unix-utils.c, ostree-core.c),
// so that we never write something real ostree refuses to read.

const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
const PERMISSION_BITS = 0o7777;

const REF_FRAGMENT = '[\\p{L}\\p{N}_][-._\\p{L}\\p{N}_]*';
const REF_RE = new RegExp(`^(?:${REF_FRAGMENT}/)*${REF_FRAGMENT}$`, 'u');
const REMOTE_RE = new RegExp(`^${REF_FRAGMENT}$`, 'u');

/** Why a single path component is not a valid ostree file name, or null when it is. */
export function filenameProblem(name: string): string | null {
  if (name === '') return 'empty file name';
  if (name === '.' || name === '..') return `invalid file name "${name}"`;
  if (name.includes('/')) return `"/" in file name "${name}"`;
  if (name.includes('\0')) return 'NUL in file name';
  if (Buffer.byteLength(name) > 255) return `file name longer than 255 bytes`;
  if (name.includes('\uFFFD')) return `invalid UTF-8 in file name`;
  return null;
}

export function isValidRef(ref: string): boolean {
  return REF_RE.test(ref);
}

export function isValidRemoteName(name: string): boolean {
  return REMOTE_RE.test(name);
}

export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isSymlink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isDirectory = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;

/** Why a content-object mode is invalid (must be a regular file or symlink, 07777 perms). */
export function fileModeProblem(mode: number): string | null {
  if (!isRegular(mode) && !isSymlink(mode)) return `mode 0${mode.toString(8)} is not a regular file or symlink`;
  if ((mode & ~S_IFMT & ~PERMISSION_BITS) !== 0) return `mode 0${mode.toString(8)} has invalid bits`;
  return null;
}

/** Why a dirmeta mode is invalid. */
export function dirModeProblem(mode: number): string | null {
  if (!isDirectory(mode)) return `mode 0${mode.toString(8)} is not a directory`;
  if ((mode & ~S_IFMT & ~PERMISSION_BITS) !== 0) return `mode 0${mode.toString(8)} has invalid bits`;
  return null;
}
