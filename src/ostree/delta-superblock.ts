// The static-delta superblock (ostree-repo-static-delta-private.h):
//   (a{sv} t ay ay (commit) ay a(uayttay) a(yaytt))
// = metadata, BE timestamp, from (empty for scratch), to, the complete to-commit,
//   recursive deltas (always empty), part headers, fallback objects.
// Part and fallback sizes are in the byte order named by metadata
// "ostree.endianness"; we always write 'l' and little-endian values.
import { decodeVariant, encodeVariant, Variant, type GvValue, type VardictEntries } from '../gvariant/index.js';
import { swap32, swap64 } from './byte-order.js';
import { checksumFromBytes, checksumToBytes } from './checksum.js';
import { OBJECT_TYPE_CODES, type ObjectType } from './object-type.js';
import { vardictGet, vardictSet } from './vardict.js';

const SUPERBLOCK = '(a{sv}tayay(a{sv}aya(say)sstayay)aya(uayttay)a(yaytt))';
const COMMIT = '(a{sv}aya(say)sstayay)';
export const ENDIANNESS_KEY = 'ostree.endianness';
/** OSTREE_DELTAPART_VERSION */
export const DELTA_PART_VERSION = 0;

export interface DeltaObject {
  type: ObjectType;
  checksum: string;
}

export interface DeltaPartHeader {
  version: number;
  /** sha256 of the whole part file (compression byte included). */
  checksum: string;
  /** Size of the part file. */
  size: number;
  /** Size of the decompressed payload. */
  usize: number;
  /** The objects the part writes, in opcode order. */
  objects: DeltaObject[];
}

export interface DeltaFallback {
  type: ObjectType;
  checksum: string;
  /** Size of the loose object the client will fetch. */
  size: number;
  /** Size of its content. */
  usize: number;
}

export interface DeltaSuperblock {
  metadata: VardictEntries;
  /** Seconds since the epoch. */
  timestamp: number;
  from: string | null;
  to: string;
  /** The to-commit object, byte for byte. */
  commit: Buffer;
  parts: DeltaPartHeader[];
  fallbacks: DeltaFallback[];
}

const TYPE_BY_CODE = new Map(Object.entries(OBJECT_TYPE_CODES).map(([t, c]) => [c, t as ObjectType]));

function typeFromCode(code: number): ObjectType {
  const t = TYPE_BY_CODE.get(code);
  if (!t) throw new Error(`invalid object type ${code} in static delta`);
  return t;
}

/** Part object lists are concatenated 33-byte records: type code + raw checksum. */
export function encodeObjectList(objects: readonly DeltaObject[]): Buffer {
  const out = Buffer.alloc(objects.length * 33);
  objects.forEach((o, i) => {
    out[i * 33] = OBJECT_TYPE_CODES[o.type];
    checksumToBytes(o.checksum).copy(out, i * 33 + 1);
  });
  return out;
}

export function parseObjectList(bytes: Buffer): DeltaObject[] {
  if (bytes.length % 33 !== 0) throw new Error(`invalid static delta object list of ${bytes.length} bytes`);
  const out: DeltaObject[] = [];
  for (let p = 0; p < bytes.length; p += 33) out.push({ type: typeFromCode(bytes[p]), checksum: checksumFromBytes(bytes.subarray(p + 1, p + 33)) });
  return out;
}

/** Sizes are written little-endian, so the endianness key always says 'l'. */
export function encodeSuperblock(sb: DeltaSuperblock): Buffer {
  const metadata = vardictSet(sb.metadata, ENDIANNESS_KEY, new Variant('y', 'l'.charCodeAt(0)));
  return encodeVariant(SUPERBLOCK, [
    metadata,
    swap64(BigInt(sb.timestamp)),
    sb.from ? checksumToBytes(sb.from) : Buffer.alloc(0),
    checksumToBytes(sb.to),
    decodeVariant(COMMIT, sb.commit),
    Buffer.alloc(0),
    sb.parts.map((p) => [p.version, checksumToBytes(p.checksum), BigInt(p.size), BigInt(p.usize), encodeObjectList(p.objects)]),
    sb.fallbacks.map((f) => [OBJECT_TYPE_CODES[f.type], checksumToBytes(f.checksum), BigInt(f.size), BigInt(f.usize)]),
  ]);
}

export function parseSuperblock(bytes: Buffer): DeltaSuperblock {
  const [metadata, timestamp, from, to, commit, , parts, fallbacks] = decodeVariant(SUPERBLOCK, bytes) as [
    VardictEntries, bigint, Buffer, Buffer, GvValue, Buffer, [number, Buffer, bigint, bigint, Buffer][], [number, Buffer, bigint, bigint][],
  ];
  const endianness = vardictGet(metadata, ENDIANNESS_KEY);
  // Deltas made on a big-endian host say 'B'; their sizes must be swapped.
  const big = endianness === 'B'.charCodeAt(0);
  const u64 = (v: bigint): number => Number(big ? swap64(v) : v);
  const u32 = (v: number): number => (big ? swap32(v) : v);
  return {
    metadata,
    timestamp: Number(swap64(timestamp)),
    from: from.length === 0 ? null : checksumFromBytes(from),
    to: checksumFromBytes(to),
    commit: encodeVariant(COMMIT, commit),
    parts: parts.map(([version, csum, size, usize, objects]) => ({ version: u32(version), checksum: checksumFromBytes(csum), size: u64(size), usize: u64(usize), objects: parseObjectList(objects) })),
    fallbacks: fallbacks.map(([type, csum, size, usize]) => ({ type: typeFromCode(type), checksum: checksumFromBytes(csum), size: u64(size), usize: u64(usize) })),
  };
}
