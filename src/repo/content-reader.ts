// Reads content objects back: header (owner, mode, xattrs, link target) and the
// file bytes. Archive objects are inflated; the checksum can be verified on read.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { NotFoundError, RepoFormatError, UsageError } from '../errors.js';
import { encodeContentHeader, parseArchiveHeader, type FileMeta } from '../ostree/file-header.js';
import type { Repo } from './repo.js';

export interface ContentObject {
  meta: FileMeta;
  /** File bytes (empty for symlinks). */
  data: Buffer;
}

/**
 * The data of a raw deflate stream made only of stored blocks, or undefined when it
 * is anything else (zlib then inflates it, or says what is wrong with it). The commit
 * stores content that does not compress that way (deflate-level.ts): a quarter of
 * v2's objects, the kernel among them. Taken from the blocks directly, without
 * zlib, whose stream object per call cost more than copying a small file; a single
 * block is not even copied (the result is then a view of `deflated`).
 */
function storedData(deflated: Buffer, size: number): Buffer | undefined {
  const blocks: Buffer[] = [];
  let at = 0;
  let total = 0;
  for (;;) {
    // A stored block: 3 header bits (BFINAL, BTYPE 00) padded to the byte, LEN, NLEN.
    if (at + 5 > deflated.length || (deflated[at] & 0b110) !== 0) return undefined;
    const len = deflated.readUInt16LE(at + 1);
    if ((len ^ 0xffff) !== deflated.readUInt16LE(at + 3) || at + 5 + len > deflated.length) return undefined;
    blocks.push(deflated.subarray(at + 5, at + 5 + len));
    total += len;
    const final = (deflated[at] & 1) === 1;
    at += 5 + len;
    if (final) break;
  }
  if (at !== deflated.length || total !== size) return undefined;
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks, total);
}

/**
 * The raw deflate stream of an object whose header says it holds `size` bytes,
 * inflated into one buffer of that size: in zlib's default 16 KiB steps, inflating
 * and joining the pieces took twice as long (a 5 MB kernel: 13 ms of copying). A
 * corrupt stream that inflates to more stops one byte past the size (the caller's
 * size check says so) or throws.
 */
export function inflateObject(deflated: Buffer, size: number): Buffer {
  const stored = storedData(deflated, size);
  if (stored) return stored;
  const chunkSize = Math.max(64, size + 1);
  return inflateRawSync(deflated, { chunkSize, maxOutputLength: chunkSize });
}

/** Parses a `.filez` (archive-mode content object). */
export function parseArchiveContent(stored: Buffer): ContentObject {
  const { meta, contentOffset, size } = parseArchiveHeader(stored);
  const data = contentOffset < stored.length ? inflateObject(stored.subarray(contentOffset), size!) : Buffer.alloc(0);
  if (data.length !== size) throw new Error(`content is ${data.length} bytes, header says ${size}`);
  return { meta, data };
}

/** The checksum of a content object: sha256 over its canonical content stream. */
export function contentChecksum(obj: ContentObject): string {
  return createHash('sha256').update(encodeContentHeader(obj.meta)).update(obj.data).digest('hex');
}

/**
 * Reads content object `checksum` of an archive repo from `path` (default: its
 * loose location), verifying its checksum.
 */
export function readContentObject(repo: Repo, checksum: string, path = repo.objectPath(checksum, 'file')): ContentObject {
  if (repo.mode !== 'archive') throw new UsageError(`reading content from a ${repo.mode} repository is not supported`);
  let stored: Buffer;
  try {
    stored = readFileSync(path);
  } catch {
    throw new NotFoundError(`content object ${checksum} is not in ${repo.path}`);
  }
  let obj: ContentObject;
  try {
    obj = parseArchiveContent(stored);
  } catch (e) {
    throw new RepoFormatError(`content object ${checksum} in ${repo.path} is corrupt: ${(e as Error).message}`);
  }
  if (contentChecksum(obj) !== checksum) throw new RepoFormatError(`content object ${checksum} in ${repo.path} is corrupt (checksum mismatch)`);
  return obj;
}
