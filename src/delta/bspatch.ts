// Applies a raw-stream bsdiff patch (see bsdiff.ts) exactly as the client's
// bspatch does, and insists the patch is consumed to its last byte: used to
// check every patch before it is shipped, since a malformed one aborts the
// client (ostree asserts on short reads).

function int64(view: Buffer, at: number): number {
  const lo = view.readUInt32LE(at);
  const hi = view.readUInt32LE(at + 4);
  const mag = (hi & 0x7fff_ffff) * 0x1_0000_0000 + lo;
  return hi & 0x8000_0000 ? -mag : mag;
}

export function bspatch(old: Uint8Array, patch: Uint8Array, newSize: number): Buffer {
  const out = Buffer.alloc(newSize);
  const view = Buffer.from(patch.buffer, patch.byteOffset, patch.byteLength);
  let p = 0;
  let oldPos = 0;
  let newPos = 0;
  const need = (n: number): void => {
    if (p + n > patch.length) throw new Error('bsdiff patch is truncated');
  };
  while (newPos < newSize) {
    need(24);
    const diffLen = int64(view, p);
    const extraLen = int64(view, p + 8);
    const seek = int64(view, p + 16);
    p += 24;
    if (diffLen < 0 || extraLen < 0 || newPos + diffLen + extraLen > newSize) throw new Error('bsdiff patch has an invalid control block');
    need(diffLen + extraLen);
    for (let i = 0; i < diffLen; i++) {
      const o = oldPos + i;
      out[newPos + i] = (patch[p + i] + (o >= 0 && o < old.length ? old[o] : 0)) & 0xff;
    }
    p += diffLen;
    newPos += diffLen;
    oldPos += diffLen;
    out.set(patch.subarray(p, p + extraLen), newPos);
    p += extraLen;
    newPos += extraLen;
    oldPos += seek;
  }
  if (p !== patch.length) throw new Error(`bsdiff patch has ${patch.length - p} bytes left over`);
  return out;
}
