// dirmeta objects: (uuua(ayay)) = BE uid, BE gid, BE mode (with S_IFDIR), xattrs.
// The object is its own canonical form, so checksum = sha256(bytes).
import { fail } from '../gvariant/framing.js';
import { encodeVariant } from '../gvariant/index.js';
import { swap32 } from './byte-order.js';
import { sha256Hex } from './checksum.js';
import { xattrsAt, xattrsToVariant, type Xattr } from './xattrs.js';

export interface DirMeta {
  uid: number;
  gid: number;
  mode: number;
  xattrs: Xattr[];
}

const DIRMETA = '(uuua(ayay))';

export function encodeDirMeta(meta: DirMeta): Buffer {
  return encodeVariant(DIRMETA, [swap32(meta.uid), swap32(meta.gid), swap32(meta.mode), xattrsToVariant(meta.xattrs)]);
}

/** Read in place (framing.ts says why): three big-endian numbers, then the xattrs to the end. */
export function parseDirMeta(bytes: Buffer): DirMeta {
  if (bytes.length < 12) fail('dirmeta truncated');
  return { uid: bytes.readUInt32BE(0), gid: bytes.readUInt32BE(4), mode: bytes.readUInt32BE(8), xattrs: xattrsAt(bytes, 12, bytes.length) };
}

export function dirMetaChecksum(bytes: Buffer): string {
  return sha256Hex(bytes);
}
