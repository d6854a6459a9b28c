// The first bytes of an archive content object: its header, which says the file's
// owner, mode, xattrs and size. Read on the main thread and by the header worker.
import { closeSync, openSync, readSync } from 'node:fs';

/** Headers are ~100 bytes plus xattrs: one small read is nearly always enough. */
const FIRST_READ = 512;

/** Bytes the header needs, from the length prefix of the first read. */
const headerLength = (buf: Buffer, n: number): number => (n >= 4 ? 8 + buf.readUInt32BE(0) : 8);

/** The object's header bytes (a few more may follow), or undefined when it cannot be opened. */
export function readHeaderBytes(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    let buf = Buffer.allocUnsafe(FIRST_READ);
    let n = readSync(fd, buf, 0, buf.length, 0);
    if (headerLength(buf, n) > n) {
      buf = Buffer.allocUnsafe(headerLength(buf, n));
      n = readSync(fd, buf, 0, buf.length, 0);
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** In a packed list: an object that could not be opened. */
const MISSING = 0xffffffff;

/** Headers packed into one buffer that can move between threads: per header a u32 length (or MISSING), then its bytes. */
export function packHeaders(headers: readonly (Buffer | undefined)[]): ArrayBuffer {
  const packed = Buffer.allocUnsafeSlow(headers.reduce((n, h) => n + 4 + (h?.length ?? 0), 0));
  let at = 0;
  for (const h of headers) {
    at = packed.writeUInt32LE(h ? h.length : MISSING, at);
    if (h) at += h.copy(packed, at);
  }
  return packed.buffer as ArrayBuffer;
}

export function unpackHeaders(packed: ArrayBuffer, count: number): (Buffer | undefined)[] {
  const buf = Buffer.from(packed);
  const headers: (Buffer | undefined)[] = [];
  for (let at = 0, i = 0; i < count; i++) {
    const length = buf.readUInt32LE(at);
    at += 4;
    if (length === MISSING) {
      headers.push(undefined);
    } else {
      headers.push(buf.subarray(at, at + length));
      at += length;
    }
  }
  return headers;
}
