// Reads a tar stream entry by entry and turns each header into a RootfsEntry:
// a safe relative path, file type, permission bits, numeric owner, xattrs.
// Unsafe or undecodable entries are errors that name the entry.
import type { Readable } from 'node:stream';
import type { Header } from 'tar-stream';
import { BadEntryError, CorruptInputError, InternalError, UserError } from '../errors.js';
import { filenameProblem } from '../ostree/validate.js';
import type { Xattr } from '../ostree/xattrs.js';
import { createTarExtract, type PaxRecords } from './raw-pax-extract.js';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';

export interface RootfsEntry {
  /** Normalized path relative to the root; "" is the root itself. */
  path: string;
  kind: EntryKind;
  /** Permission bits including setuid, setgid and sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlink text, or the normalized path a hardlink points to. */
  linkTarget: string;
  xattrs: Xattr[];
  /** For 'special': what it was (character-device, fifo…). */
  specialType?: string;
  /** Entry data; the consumer must read or drain it before the next entry comes. */
  content: Readable;
}

const KINDS: Record<string, EntryKind> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'special',
  'block-device': 'special',
  fifo: 'special',
};

/**
 * Normalizes a tar path the way ostree's tar import does (drop "./" and empty
 * components, trailing slashes), but refuses absolute paths and ".." instead of
 * quietly rewriting them.
 */
export function normalizeEntryPath(raw: string): string {
  if (raw.startsWith('/')) throw new BadEntryError(raw, 'absolute path in tar entry (create the tarball relative to the rootfs, e.g. tar -C rootfs .)');
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  for (const p of parts) {
    const problem = filenameProblem(p);
    if (problem) throw new BadEntryError(raw, p === '..' ? 'path escapes the root with ".."' : problem);
  }
  return parts.join('/');
}

/** Shared by every entry without xattrs (most of a rootfs): one array, not thousands. */
const NO_XATTRS: Xattr[] = Object.freeze([]) as unknown as Xattr[];

function xattrsFromPax(pax: PaxRecords | undefined): Xattr[] {
  if (!pax) return NO_XATTRS;
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(pax)) {
    if (key.startsWith('LIBARCHIVE.xattr.')) {
      // bsdtar's form: URL-encoded name, base64 value.
      out.set(decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length)), Buffer.from(String(value), 'base64'));
    }
  }
  for (const [key, value] of Object.entries(pax)) {
    if (key.startsWith('SCHILY.xattr.')) out.set(key.slice('SCHILY.xattr.'.length), value as Buffer);
  }
  return out.size === 0 ? NO_XATTRS : [...out].map(([name, value]) => ({ name, value }));
}

function paxNumber(pax: PaxRecords | undefined, key: string, fallback: number): number {
  const v = pax?.[key];
  return v === undefined ? fallback : Number(String(v));
}

function toEntry(header: Header, content: Readable): RootfsEntry {
  const pax = (header as Header & { pax?: PaxRecords }).pax;
  const kind = KINDS[header.type];
  if (!kind) throw new BadEntryError(header.name, `unsupported tar entry type "${header.type}"`);
  const path = normalizeEntryPath(header.name);
  let linkTarget = header.linkname ?? '';
  if (kind === 'hardlink') {
    linkTarget = normalizeEntryPath(linkTarget);
    if (linkTarget === '') throw new BadEntryError(header.name, 'hardlink to the root directory');
  }
  if (kind === 'symlink' && linkTarget === '') throw new BadEntryError(header.name, 'symlink with an empty target');
  if (path === '' && kind !== 'directory') throw new BadEntryError(header.name, 'the root of the tree must be a directory');
  return {
    path,
    kind,
    mode: (header.mode ?? 0) & 0o7777,
    uid: paxNumber(pax, 'uid', header.uid ?? 0),
    gid: paxNumber(pax, 'gid', header.gid ?? 0),
    size: kind === 'file' ? header.size ?? 0 : 0,
    linkTarget,
    xattrs: xattrsFromPax(pax),
    ...(kind === 'special' ? { specialType: header.type } : {}),
    content,
  };
}

/**
 * Watches the raw tar bytes for the end-of-archive marker. tar-stream accepts a
 * stream that simply stops between entries; a tarball cut short must not commit.
 */
function trackEndMarker(source: Readable): { sawEnd: () => boolean; stream: Readable } {
  let tail: Buffer = Buffer.alloc(0);
  source.on('data', (chunk: Buffer) => {
    tail = chunk.length >= 1024 ? chunk.subarray(chunk.length - 1024) : Buffer.concat([tail, chunk]).subarray(-1024);
  });
  return { sawEnd: () => tail.length >= 512 && tail.subarray(tail.length - 512).every((b) => b === 0), stream: source };
}

/**
 * Turns what the tar parser throws (also while an entry's data is read) into a
 * one-line error naming the file; our own errors pass through.
 */
export function asTarError(file: string, e: unknown): Error {
  if (e instanceof UserError || e instanceof InternalError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (message === 'Unexpected end of data') return new CorruptInputError(file, 'tar archive is truncated');
  return new CorruptInputError(file, `not a valid tar archive (${message})`);
}

/** Iterates over the entries of a plain tar stream (`file` names the input in errors). */
export async function* readTarEntries(tar: Readable, file: string): AsyncGenerator<RootfsEntry> {
  const extract = createTarExtract();
  const tracked = trackEndMarker(tar);
  tar.on('error', (e) => extract.destroy(e));
  tracked.stream.pipe(extract);
  try {
    for await (const entry of extract) {
      yield toEntry(entry.header, entry as unknown as Readable);
      entry.resume(); // drain whatever the consumer left unread
    }
  } catch (e) {
    throw asTarError(file, e);
  }
  if (!tracked.sawEnd()) throw new CorruptInputError(file, 'tar archive is truncated (no end-of-archive marker)');
}
