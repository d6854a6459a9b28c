// Unsigned LEB128 varints, the argument encoding of static-delta opcodes
// (ostree-varint.c): 7 bits per byte, low bits first, high bit = more bytes.

export function encodeVarint(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
  const out: number[] = [];
  let v = value;
  do {
    // Division, not shifts: offsets may exceed 2^31.
    const low = v % 128;
    v = Math.floor(v / 128);
    out.push(v > 0 ? low | 0x80 : low);
  } while (v > 0);
  return Buffer.from(out);
}

/** Reads one varint at `pos`; returns the value and the position after it. */
export function readVarint(buf: Buffer, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let p = pos; p < buf.length; p++) {
    const b = buf[p];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, p + 1];
    scale *= 128;
    if (scale > 2 ** 56) break;
  }
  throw new RangeError(`truncated or oversized varint at offset ${pos}`);
}
