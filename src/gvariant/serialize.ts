// GVariant serializer producing normal form (GLib gvariant-serialiser.c):
// container-relative alignment, framing offsets of minimal width, zero padding.
import { alignUp, alignmentOf, fixedSizeOf, parseType, type GvType } from './type.js';
import { Variant, type GvValue } from './value.js';

/** Serializes `value` as the GVariant type `signature`. */
export function encodeVariant(signature: string, value: GvValue): Buffer {
  const out = new Writer();
  writeValue(out, parseType(signature), value);
  return out.finish();
}

/** Growable byte buffer; positions are relative to where a container starts. */
class Writer {
  private chunks: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  padTo(start: number, alignment: number): void {
    const rel = this.length - start;
    const pad = alignUp(rel, alignment) - rel;
    if (pad > 0) this.push(Buffer.alloc(pad));
  }

  finish(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(out: Writer, t: GvType, v: GvValue): void {
  switch (t.kind) {
    case 'basic':
      return writeBasic(out, t.code, v);
    case 'variant': {
      if (!(v instanceof Variant)) throw new TypeError('expected a Variant for type "v"');
      // The child is aligned to 8 within the variant, which itself starts 8-aligned.
      writeValue(out, parseType(v.signature), v.value);
      out.push(Buffer.from([0]));
      out.push(Buffer.from(v.signature, 'ascii'));
      return;
    }
    case 'maybe': {
      if (v === null) return;
      writeValue(out, t.element, v);
      if (fixedSizeOf(t.element) === null) out.push(Buffer.from([0]));
      return;
    }
    case 'array':
      return writeArray(out, t.element, v);
    case 'tuple':
    case 'dictEntry':
      return writeTuple(out, t.members, v as GvValue[], fixedSizeOf(t), alignmentOf(t));
  }
}

function writeBasic(out: Writer, code: string, v: GvValue): void {
  let b: Buffer;
  switch (code) {
    case 'y':
      b = Buffer.from([v as number]);
      break;
    case 'b':
      b = Buffer.from([v ? 1 : 0]);
      break;
    case 'n':
      b = Buffer.alloc(2);
      b.writeInt16LE(v as number);
      break;
    case 'q':
      b = Buffer.alloc(2);
      b.writeUInt16LE(v as number);
      break;
    case 'i':
      b = Buffer.alloc(4);
      b.writeInt32LE(v as number);
      break;
    case 'u':
    case 'h':
      b = Buffer.alloc(4);
      b.writeUInt32LE(v as number);
      break;
    case 'x':
      b = Buffer.alloc(8);
      b.writeBigInt64LE(v as bigint);
      break;
    case 't':
      b = Buffer.alloc(8);
      b.writeBigUInt64LE(v as bigint);
      break;
    case 'd':
      b = Buffer.alloc(8);
      b.writeDoubleLE(v as number);
      break;
    default: {
      const s = Buffer.from(v as string, 'utf8');
      if (s.includes(0)) throw new Error('GVariant strings cannot contain NUL');
      b = Buffer.concat([s, Buffer.from([0])]);
    }
  }
  out.push(b);
}

function writeArray(out: Writer, element: GvType, v: GvValue): void {
  // "ay" is overwhelmingly common in ostree (checksums, names, xattrs): raw bytes.
  if (element.kind === 'basic' && element.code === 'y') {
    out.push(v as Buffer);
    return;
  }
  const items = v as GvValue[];
  const start = out.length;
  const elementAlign = alignmentOf(element);
  if (fixedSizeOf(element) !== null) {
    for (const item of items) {
      out.padTo(start, elementAlign);
      writeValue(out, element, item);
    }
    return;
  }
  const ends: number[] = [];
  for (const item of items) {
    out.padTo(start, elementAlign);
    writeValue(out, element, item);
    ends.push(out.length - start);
  }
  writeOffsets(out, out.length - start, ends);
}

function writeTuple(out: Writer, members: GvType[], v: GvValue[], fixedSize: number | null, align: number): void {
  const start = out.length;
  if (members.length === 0) {
    out.push(Buffer.from([0]));
    return;
  }
  if (v.length !== members.length) throw new TypeError(`tuple needs ${members.length} members, got ${v.length}`);
  const ends: number[] = [];
  members.forEach((m, i) => {
    out.padTo(start, alignmentOf(m));
    writeValue(out, m, v[i]);
    if (fixedSizeOf(m) === null && i !== members.length - 1) ends.push(out.length - start);
  });
  if (fixedSize !== null) {
    out.padTo(start, align);
    return;
  }
  // Tuple framing offsets are stored in reverse member order.
  writeOffsets(out, out.length - start, ends.reverse());
}

/** Appends framing offsets with the smallest width that can address the container. */
function writeOffsets(out: Writer, bodySize: number, offsets: number[]): void {
  if (offsets.length === 0) return;
  const width = offsetWidthFor(bodySize, offsets.length);
  const table = Buffer.alloc(width * offsets.length);
  offsets.forEach((o, i) => writeOffset(table, i * width, width, o));
  out.push(table);
}

export function offsetWidthFor(bodySize: number, count: number): number {
  if (bodySize + count <= 0xff) return 1;
  if (bodySize + 2 * count <= 0xffff) return 2;
  if (bodySize + 4 * count <= 0xffffffff) return 4;
  return 8;
}

function writeOffset(buf: Buffer, pos: number, width: number, value: number): void {
  switch (width) {
    case 1:
      buf.writeUInt8(value, pos);
      break;
    case 2:
      buf.writeUInt16LE(value, pos);
      break;
    case 4:
      buf.writeUInt32LE(value, pos);
      break;
    default:
      buf.writeBigUInt64LE(BigInt(value), pos);
  }
}
