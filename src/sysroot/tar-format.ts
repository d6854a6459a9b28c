// POSIX.1-2001 (pax) tar headers, encoded directly: a 512-byte ustar block per
// entry, preceded by an extended header ('x') holding the records ustar cannot
// (atime, ctime, long or non-ASCII names, ids >= 2^21, xattrs as SCHILY.xattr.*
// with their raw bytes). tar-stream's pack builds pax records as UTF-8 text, which
// corrupts binary xattr values, and spends ~100 µs of stream machinery per entry
// (1.4 s for the 14 000 entries of a small sysroot), so the writer uses these.

export type PaxValue = string | Buffer;

export interface TarHeader {
  name: string;
  /** Permission bits. */
  perms: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  type: 'file' | 'link' | 'symlink' | 'directory';
  linkname?: string;
  /** Extra pax records (besides the path/linkpath/ids this module adds when needed). */
  records: readonly [string, PaxValue][];
}

export const BLOCK = 512;
const TYPEFLAG = { file: '0', link: '1', symlink: '2', directory: '5' } as const;
const MAX_OCTAL_ID = 0o7777777;
const MAX_OCTAL_SIZE = 0o77777777777;

/** The length prefix of a pax record whose rest is `bodyBytes` long (the prefix counts itself). */
function recordLength(bodyBytes: number): number {
  let len = bodyBytes + 1;
  while (String(len).length + bodyBytes !== len) len = String(len).length + bodyBytes;
  return len;
}

/** "<len> <key>=<value>\n" for a text value, as text. */
function textRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  return `${recordLength(Buffer.byteLength(body))}${body}`;
}

/** "<len> <key>=<value>\n", where len counts itself; values may be raw bytes. */
export function paxRecord(key: string, value: PaxValue): Buffer {
  if (typeof value === 'string') return Buffer.from(textRecord(key, value));
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  return Buffer.concat([Buffer.from(String(recordLength(body.length))), body]);
}

/** The pax data of a header: one string conversion when every value is text (nearly always). */
function paxData(records: readonly [string, PaxValue][]): Buffer {
  if (records.every(([, v]) => typeof v === 'string')) return Buffer.from(records.map(([k, v]) => textRecord(k, v as string)).join(''));
  return Buffer.concat(records.map(([k, v]) => paxRecord(k, v)));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The ustar name/prefix split, or undefined when the path needs a pax record. */
function ustarName(path: string): { name: string; prefix: string } | undefined {
  if (!PRINTABLE_ASCII.test(path)) return undefined;
  if (path.length <= 100) return { name: path, prefix: '' };
  // A directory's trailing slash stays with its name: never split there.
  const body = path.endsWith('/') ? path.slice(0, -1) : path;
  const cut = body.lastIndexOf('/', 155);
  if (cut <= 0 || path.length - cut - 1 > 100) return undefined;
  return { name: path.slice(cut + 1), prefix: path.slice(0, cut) };
}

interface UstarFields {
  name: string;
  prefix: string;
  perms: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
}

// The field writers store bytes one by one and return their sum (for the checksum):
// a Buffer.write per field cost more than the loops, ten calls into C++ per header.

/** Text of at most `width` bytes, latin1 (the callers pass printable ASCII). */
function putText(out: Buffer, at: number, text: string, width: number): number {
  const n = Math.min(text.length, width);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const byte = text.charCodeAt(i) & 0xff;
    out[at + i] = byte;
    sum += byte;
  }
  return sum;
}

/** A NUL-terminated octal field of `width` bytes: zero-padded digits, for a value that fits. */
function putOctal(out: Buffer, at: number, value: number, width: number): number {
  let sum = 0;
  for (let i = width - 2; i >= 0; i--) {
    const digit = 48 + (value % 8);
    out[at + i] = digit;
    sum += digit;
    value = Math.floor(value / 8);
  }
  out[at + width - 1] = 0;
  return sum;
}

/**
 * What every ustar block holds: magic and version, zero device numbers, zeros
 * elsewhere, and the checksum field as the spaces the checksum counts it as.
 */
const USTAR_TEMPLATE = Buffer.alloc(BLOCK);
USTAR_TEMPLATE.write('        ', 148, 'latin1');
USTAR_TEMPLATE.write('ustar\x0000', 257, 'latin1');
putOctal(USTAR_TEMPLATE, 329, 0, 8);
putOctal(USTAR_TEMPLATE, 337, 0, 8);
const TEMPLATE_SUM = USTAR_TEMPLATE.reduce((sum, byte) => sum + byte, 0);

/**
 * Writes a ustar header at `at`: the template, then the fields that vary, each
 * adding its bytes to the checksum (a whole-block string and a 512-byte sum had
 * cost 14 µs per entry, 1.8 s of big's otaimg).
 */
function writeUstar(out: Buffer, at: number, f: UstarFields): void {
  USTAR_TEMPLATE.copy(out, at);
  const sum =
    TEMPLATE_SUM +
    putText(out, at, f.name, 100) +
    putOctal(out, at + 100, f.perms, 8) +
    putOctal(out, at + 108, f.uid, 8) +
    putOctal(out, at + 116, f.gid, 8) +
    putOctal(out, at + 124, f.size, 12) +
    putOctal(out, at + 136, Math.max(0, f.mtime), 12) +
    putText(out, at + 156, f.typeflag, 1) +
    putText(out, at + 157, f.linkname, 100) +
    putText(out, at + 345, f.prefix, 155);
  // Six digits, a NUL and a space, as GNU tar writes it.
  putOctal(out, at + 148, sum, 7);
  out[at + 155] = 0x20;
}

/** The extended header (its ustar block and its records, padded), or undefined without records. */
function extension(records: readonly [string, PaxValue][], mtime: number): Buffer | undefined {
  if (records.length === 0) return undefined;
  const data = paxData(records);
  const out = Buffer.alloc(BLOCK + Math.ceil(data.length / BLOCK) * BLOCK);
  writeUstar(out, 0, { name: 'PaxHeaders/entry', prefix: '', perms: 0o644, uid: 0, gid: 0, size: data.length, mtime, typeflag: 'x', linkname: '' });
  data.copy(out, BLOCK);
  return out;
}

/**
 * Extended headers of entries that need no records of their own, per records list
 * (a writer passes the same one for every entry without xattrs) and mtime: nearly
 * every entry of a sysroot has the same one, made once instead of 14k times (v2).
 */
const shared = new WeakMap<readonly [string, PaxValue][], Map<number, Buffer | undefined>>();

function sharedExtension(records: readonly [string, PaxValue][], mtime: number): Buffer | undefined {
  let byMtime = shared.get(records);
  if (!byMtime) shared.set(records, (byMtime = new Map()));
  if (!byMtime.has(mtime)) byMtime.set(mtime, extension(records, mtime));
  return byMtime.get(mtime);
}

/** An entry's header, ready to be written: its extended header (shared, or its own) and its ustar fields. */
export interface EntryHeader {
  ext: Buffer | undefined;
  fields: UstarFields;
  /** Bytes in all. */
  length: number;
}

/** The extended header and the ustar header of one entry (the data follows, padded by padding()). */
export function entryHeader(h: TarHeader): EntryHeader {
  const records: [string, PaxValue][] = []; // besides h.records
  const name = ustarName(h.name);
  if (!name) records.push(['path', h.name]);
  const link = h.linkname ?? '';
  const linkFits = link.length <= 100 && PRINTABLE_ASCII.test(link);
  if (!linkFits) records.push(['linkpath', link]);
  if (h.uid > MAX_OCTAL_ID) records.push(['uid', String(h.uid)]);
  if (h.gid > MAX_OCTAL_ID) records.push(['gid', String(h.gid)]);
  if (h.size > MAX_OCTAL_SIZE) records.push(['size', String(h.size)]);
  const ext = records.length === 0 ? sharedExtension(h.records, h.mtime) : extension([...records, ...h.records], h.mtime);
  const fields: UstarFields = {
    name: name ? name.name : h.name.replace(/[^\x20-\x7e]/g, '_').slice(-100),
    prefix: name ? name.prefix : '',
    perms: h.perms,
    uid: h.uid > MAX_OCTAL_ID ? 0 : h.uid,
    gid: h.gid > MAX_OCTAL_ID ? 0 : h.gid,
    size: h.size > MAX_OCTAL_SIZE ? 0 : h.size,
    mtime: h.mtime,
    typeflag: TYPEFLAG[h.type],
    // Never empty when there is a link: libarchive files a pax linkpath as a hardlink
    // unless the ustar field already says "symlink" (mke2fs then crashes on the entry).
    linkname: linkFits ? link : link.replace(/[^\x20-\x7e]/g, '_').slice(0, 100),
  };
  return { ext, fields, length: (ext ? ext.length : 0) + BLOCK };
}

/**
 * Writes the header at `at` of `out`, which has room for it: the tar writer writes
 * straight into its output chunks (a buffer per header, copied there, was a third
 * of the headers' cost, most of it garbage collection).
 */
export function writeEntryHeader(e: EntryHeader, out: Buffer, at: number): void {
  e.ext?.copy(out, at);
  writeUstar(out, at + e.length - BLOCK, e.fields);
}

/** The header as a buffer of its own. */
export function entryHeaderBytes(e: EntryHeader): Buffer {
  const out = Buffer.allocUnsafe(e.length);
  writeEntryHeader(e, out, 0);
  return out;
}

export function encodeEntryHeader(h: TarHeader): Buffer {
  return entryHeaderBytes(entryHeader(h));
}

const ZEROS = Buffer.alloc(BLOCK);

/** Zero bytes up to the next block boundary. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? ZEROS.subarray(0, 0) : ZEROS.subarray(0, BLOCK - rest);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
