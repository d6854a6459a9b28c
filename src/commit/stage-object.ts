// Stages one content object from bytes in memory, on the calling thread. Used for
// what is cheap (symlinks) or rare (files added by preparation steps).
import { deflateRawSync } from 'node:zlib';
import { sha256Hex } from '../ostree/checksum.js';
import { encodeArchiveHeader, encodeContentHeader, type FileMeta } from '../ostree/file-header.js';
import { isSymlink } from '../ostree/validate.js';
import type { Transaction } from '../repo/transaction.js';
import { deflateLevel } from './deflate-level.js';

/** Returns the object's checksum; writes it unless the repository has it already. */
export function stageContentObject(tx: Transaction, meta: FileMeta, data: Buffer): string {
  const checksum = sha256Hex(encodeContentHeader(meta), data);
  if (!tx.has(checksum, 'file')) {
    const header = encodeArchiveHeader(meta, data.length);
    // A symlink's .filez ends after the header; a regular file always has a deflate stream.
    const stored = isSymlink(meta.mode) ? header : Buffer.concat([header, deflateRawSync(data, { level: deflateLevel(data, tx.repo.zlibLevel) })]);
    tx.writeStaged(checksum, 'file', stored);
  }
  return checksum;
}
