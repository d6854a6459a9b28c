// GVariant framing read in place. The generic deserializer builds on it, and so do
// the two object types decoded without it, dirtrees and content headers: a command
// reads thousands of them while its code is still cold, where the generic decoder's
// dispatch per value cost more than the reads (v2's 5.7k headers: 90 ms). Same
// strictness everywhere: framing that does not add up is an error.

export class GVariantFormatError extends Error {}

export function fail(msg: string): never {
  throw new GVariantFormatError(msg);
}

/** Framing offset width is implied by the container's total size. */
export function offsetWidth(size: number): number {
  if (size === 0) return 0;
  if (size <= 0xff) return 1;
  if (size <= 0xffff) return 2;
  if (size <= 0xffffffff) return 4;
  return 8;
}

export function readOffset(buf: Buffer, pos: number, width: number): number {
  switch (width) {
    case 1:
      return buf[pos];
    case 2:
      return buf.readUInt16LE(pos);
    case 4:
      return buf.readUInt32LE(pos);
    default:
      return Number(buf.readBigUInt64LE(pos));
  }
}

/** Calls `visit` with the bounds of each element of an array of variable-size, byte-aligned elements in [start, end). */
export function forEachElement(buf: Buffer, start: number, end: number, visit: (from: number, to: number) => void): void {
  const size = end - start;
  if (size === 0) return;
  const width = offsetWidth(size);
  const table = readOffset(buf, end - width, width);
  if (table > size || (size - table) % width !== 0) fail('array framing offsets out of range');
  let pos = 0;
  for (let at = start + table; at < end; at += width) {
    const itemEnd = readOffset(buf, at, width);
    if (itemEnd < pos || itemEnd > table) fail('array element offset out of range');
    visit(start + pos, start + itemEnd);
    pos = itemEnd;
  }
}

/**
 * For a tuple in [from, to) with one framed member (the only variable-size one
 * before the last), starting at `memberStart`: where that member ends, and where
 * the framing offset sits, which is where the last member stops.
 */
export function firstMemberEnd(buf: Buffer, from: number, to: number, memberStart: number): { end: number; framing: number } {
  if (to <= from) fail('tuple truncated');
  const width = offsetWidth(to - from);
  const end = from + readOffset(buf, to - width, width);
  if (end < memberStart || end > to - width) fail('tuple member out of range');
  return { end, framing: to - width };
}

/** The string at [from, end): NUL-terminated, no NUL inside. */
export function stringAt(buf: Buffer, from: number, end: number): string {
  if (end <= from || buf.indexOf(0, from) !== end - 1) fail('string is not NUL-terminated or contains a NUL');
  return buf.toString('utf8', from, end - 1);
}
