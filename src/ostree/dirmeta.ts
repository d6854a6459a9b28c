// dirmeta objects: (uuua(ayay)) = BE uid, BE gid, BE mode (with S_IFDIR), xattrs.
// The object is its own canonical form, so checksum = sha256(bytes).
import { decodeVariant, encodeVariant } from '../gvariant/index.js';
import { swap32 } from './byte-order.js';
import { sha256Hex } from './checksum.js';
import { xattrsFromVariant, xattrsToVariant, type Xattr } from './xattrs.js';

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

export function parseDirMeta(bytes: Buffer): DirMeta {
  const [uid, gid, mode, xattrs] = decodeVariant(DIRMETA, bytes) as [number, number, number, unknown];
  return { uid: swap32(uid), gid: swap32(gid), mode: swap32(mode), xattrs: xattrsFromVariant(xattrs as never) };
}

export function dirMetaChecksum(bytes: Buffer): string {
  return sha256Hex(bytes);
}
