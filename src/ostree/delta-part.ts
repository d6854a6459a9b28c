// A static-delta part (ostree-repo-static-delta-private.h, -processing.c).
// On disk: one compression byte (0 = none, 'x' = xz) then the payload
//   (a(uuu) aa(ayay) ay ay) = mode table (BE uid, gid, mode), xattr-set table,
//   raw data, opcode stream.
// Opcodes take unsigned varint arguments; a cursor walks the part's object list.
import { decodeVariant, encodeVariant } from '../gvariant/index.js';
import { swap32 } from './byte-order.js';
import { encodeVarint, readVarint } from './varint.js';
import { xattrsFromVariant, xattrsToVariant, type Xattr } from './xattrs.js';

const PAYLOAD = '(a(uuu)aa(ayay)ayay)';

export const COMPRESSION_NONE = 0;
export const COMPRESSION_XZ = 'x'.charCodeAt(0);

export const OP = {
  /** metadata: len, off — content: mode, xattr, size, off. Writes a whole object. */
  OPEN_SPLICE_AND_CLOSE: 'S'.charCodeAt(0),
  /** mode, xattr, size: start a content object (bare client repos only). */
  OPEN: 'o'.charCodeAt(0),
  /** len, off: append payload bytes (or read-source bytes when one is set). */
  WRITE: 'w'.charCodeAt(0),
  /** off: payload[off..off+32] names the object to read from. */
  SET_READ_SOURCE: 'r'.charCodeAt(0),
  UNSET_READ_SOURCE: 'R'.charCodeAt(0),
  /** Finish the open object, advance the cursor. */
  CLOSE: 'c'.charCodeAt(0),
  /** off, len: apply a raw-stream bsdiff patch to the read source. */
  BSPATCH: 'B'.charCodeAt(0),
} as const;

export interface FileMode {
  uid: number;
  gid: number;
  mode: number;
}

export interface DeltaPartPayload {
  modes: FileMode[];
  xattrs: Xattr[][];
  data: Buffer;
  ops: Buffer;
}

export function encodePartPayload(p: DeltaPartPayload): Buffer {
  return encodeVariant(PAYLOAD, [
    p.modes.map((m) => [swap32(m.uid), swap32(m.gid), swap32(m.mode)]),
    p.xattrs.map((x) => xattrsToVariant(x)),
    p.data,
    p.ops,
  ]);
}

export function parsePartPayload(bytes: Buffer): DeltaPartPayload {
  const [modes, xattrs, data, ops] = decodeVariant(PAYLOAD, bytes) as [[number, number, number][], unknown[], Buffer, Buffer];
  return {
    modes: modes.map(([uid, gid, mode]) => ({ uid: swap32(uid), gid: swap32(gid), mode: swap32(mode) })),
    xattrs: xattrs.map((x) => xattrsFromVariant(x as never)),
    data,
    ops,
  };
}

/** The part file: compression byte, then the (possibly compressed) payload. */
export function encodePartFile(compression: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([compression]), body]);
}

/** Appends opcodes with their varint arguments. */
export class OpWriter {
  private chunks: Buffer[] = [];

  op(code: number, ...args: number[]): void {
    this.chunks.push(Buffer.from([code]), ...args.map(encodeVarint));
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface DecodedOp {
  code: number;
  args: number[];
}

/** Decodes an opcode stream; `isMeta(i)` tells whether the i-th object is metadata. */
export function decodeOps(ops: Buffer, isMeta: (objectIndex: number) => boolean): DecodedOp[] {
  const out: DecodedOp[] = [];
  let pos = 0;
  let cursor = 0;
  const take = (n: number): number[] => {
    const args: number[] = [];
    for (let i = 0; i < n; i++) {
      const [v, next] = readVarint(ops, pos);
      args.push(v);
      pos = next;
    }
    return args;
  };
  while (pos < ops.length) {
    const code = ops[pos++];
    switch (code) {
      case OP.OPEN_SPLICE_AND_CLOSE:
        out.push({ code, args: take(isMeta(cursor) ? 2 : 4) });
        cursor++;
        break;
      case OP.OPEN:
        out.push({ code, args: take(3) });
        break;
      case OP.WRITE:
      case OP.BSPATCH:
        out.push({ code, args: take(2) });
        break;
      case OP.SET_READ_SOURCE:
        out.push({ code, args: take(1) });
        break;
      case OP.UNSET_READ_SOURCE:
        out.push({ code, args: [] });
        break;
      case OP.CLOSE:
        out.push({ code, args: [] });
        cursor++;
        break;
      default:
        throw new Error(`unknown static delta opcode 0x${code.toString(16)} at offset ${pos - 1}`);
    }
  }
  return out;
}
