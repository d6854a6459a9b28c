// GVariant deserializer. Strict: any framing that does not add up is an error,
// and `isNormalForm` re-serializes to check the canonical-bytes rule ostree enforces.
import { fail, offsetWidth, readOffset, stringAt } from './framing.js';
import { encodeVariant } from './serialize.js';
import { alignUp, alignmentOf, fixedSizeOf, isValidSignature, parseType, type GvType } from './type.js';
import { Variant, type GvValue } from './value.js';

export { GVariantFormatError } from './framing.js';

/** Decodes `bytes` as the GVariant type `signature`. */
export function decodeVariant(signature: string, bytes: Buffer): GvValue {
  return readValue(parseType(signature), bytes, 0, bytes.length);
}

/** True when `bytes` is the normal-form serialization of a `signature` value. */
export function isNormalForm(signature: string, bytes: Buffer): boolean {
  try {
    return encodeVariant(signature, decodeVariant(signature, bytes)).equals(bytes);
  } catch {
    return false;
  }
}

function readValue(t: GvType, buf: Buffer, start: number, end: number): GvValue {
  const size = end - start;
  const fixed = fixedSizeOf(t);
  if (fixed !== null && size !== fixed) fail(`fixed-size value has ${size} bytes, expected ${fixed}`);
  switch (t.kind) {
    case 'basic':
      return readBasic(t.code, buf, start, end);
    case 'variant': {
      const sep = buf.lastIndexOf(0, end - 1);
      if (sep < start) fail('variant without type separator');
      const signature = buf.toString('ascii', sep + 1, end);
      if (!isValidSignature(signature)) fail(`variant has invalid type "${signature}"`);
      return new Variant(signature, readValue(parseType(signature), buf, start, sep));
    }
    case 'maybe': {
      if (size === 0) return null;
      if (fixedSizeOf(t.element) !== null) return readValue(t.element, buf, start, end);
      if (buf[end - 1] !== 0) fail('maybe value missing trailing zero');
      return readValue(t.element, buf, start, end - 1);
    }
    case 'array':
      return readArray(t.element, buf, start, end);
    case 'tuple':
    case 'dictEntry':
      return readTuple(t.members, buf, start, end);
  }
}

function readBasic(code: string, buf: Buffer, start: number, end: number): GvValue {
  switch (code) {
    case 'y':
      return buf[start];
    case 'b':
      return buf[start] !== 0;
    case 'n':
      return buf.readInt16LE(start);
    case 'q':
      return buf.readUInt16LE(start);
    case 'i':
      return buf.readInt32LE(start);
    case 'u':
    case 'h':
      return buf.readUInt32LE(start);
    case 'x':
      return buf.readBigInt64LE(start);
    case 't':
      return buf.readBigUInt64LE(start);
    case 'd':
      return buf.readDoubleLE(start);
    default:
      return stringAt(buf, start, end);
  }
}

function readArray(element: GvType, buf: Buffer, start: number, end: number): GvValue {
  const size = end - start;
  if (element.kind === 'basic' && element.code === 'y') return Buffer.from(buf.subarray(start, end));
  const elementFixed = fixedSizeOf(element);
  const items: GvValue[] = [];
  if (elementFixed !== null) {
    if (size % elementFixed !== 0) fail('fixed-size array length is not a multiple of its element size');
    for (let p = start; p < end; p += elementFixed) items.push(readValue(element, buf, p, p + elementFixed));
    return items;
  }
  if (size === 0) return items;
  const width = offsetWidth(size);
  const tableStart = readOffset(buf, end - width, width);
  if (tableStart > size || (size - tableStart) % width !== 0) fail('array framing offsets out of range');
  const count = (size - tableStart) / width;
  const align = alignmentOf(element);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const itemEnd = readOffset(buf, start + tableStart + i * width, width);
    pos = alignUp(pos, align);
    if (itemEnd < pos || itemEnd > tableStart) fail('array element offset out of range');
    items.push(readValue(element, buf, start + pos, start + itemEnd));
    pos = itemEnd;
  }
  return items;
}

function readTuple(members: GvType[], buf: Buffer, start: number, end: number): GvValue {
  const size = end - start;
  if (members.length === 0) return [];
  const width = offsetWidth(size);
  const values: GvValue[] = [];
  let pos = 0;
  let framesUsed = 0;
  members.forEach((m, i) => {
    pos = alignUp(pos, alignmentOf(m));
    const fixed = fixedSizeOf(m);
    let memberEnd: number;
    if (fixed !== null) {
      memberEnd = pos + fixed;
    } else if (i === members.length - 1) {
      memberEnd = size - framesUsed * width;
    } else {
      framesUsed++;
      memberEnd = readOffset(buf, end - framesUsed * width, width);
    }
    if (memberEnd < pos || memberEnd > size - framesUsed * width) fail('tuple member out of range');
    values.push(readValue(m, buf, start + pos, start + memberEnd));
    pos = memberEnd;
  });
  return values;
}
