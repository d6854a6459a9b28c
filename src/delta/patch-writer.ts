// Writes the raw bsdiff stream (see bsdiff.ts): control triples, diff bytes
// (new minus old, byte-wise) and extra bytes, into a growable buffer.

/** Growable output buffer. */
export class PatchWriter {
  private buf: Buffer;
  length = 0;

  constructor(sizeHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, sizeHint));
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** int64 as sign-magnitude little-endian: magnitude in 63 bits, sign in the top bit. */
  int64(v: number): void {
    this.reserve(8);
    const mag = Math.abs(v);
    this.buf.writeUInt32LE(mag % 0x1_0000_0000, this.length);
    this.buf.writeUInt32LE((Math.floor(mag / 0x1_0000_0000) | (v < 0 ? 0x8000_0000 : 0)) >>> 0, this.length + 4);
    this.length += 8;
  }

  diff(newer: Uint8Array, newAt: number, old: Uint8Array, oldAt: number, n: number): void {
    this.reserve(n);
    const b = this.buf;
    for (let i = 0; i < n; i++) b[this.length + i] = (newer[newAt + i] - old[oldAt + i]) & 0xff;
    this.length += n;
  }

  copy(src: Uint8Array, at: number, n: number): void {
    this.reserve(n);
    this.buf.set(src.subarray(at, at + n), this.length);
    this.length += n;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
