// Small files travel to the object workers packed into arenas: one ArrayBuffer
// holding many files, moved (not copied) with one message. A message per file
// would cost the main thread more than the work it hands off.
// Record layout (integers little-endian u32):
//   headerLength, archiveHeaderLength, dataLength,
//   .filez header, canonical content header, file bytes
// The content header and the bytes are adjacent: the object checksum is one hash
// over them.

const FIELDS = 3;
export const RECORD_OVERHEAD = FIELDS * 4;

/** The main thread's side: appends records to a fresh buffer. */
export class ArenaWriter {
  used = 0;
  count = 0;

  /** `buffer` must be a whole ArrayBuffer of its own (not a pool slice): it moves to a worker whole. */
  constructor(readonly buffer: Buffer) {}

  fits(bytes: number): boolean {
    return this.used + bytes <= this.buffer.length;
  }

  /** Writes a record's headers; returns where its `dataLength` bytes go. */
  append(header: Buffer, archiveHeader: Buffer, dataLength: number): number {
    let at = this.used;
    at = this.buffer.writeUInt32LE(header.length, at);
    at = this.buffer.writeUInt32LE(archiveHeader.length, at);
    at = this.buffer.writeUInt32LE(dataLength, at);
    at += archiveHeader.copy(this.buffer, at);
    at += header.copy(this.buffer, at);
    this.used = at + dataLength;
    this.count++;
    return at;
  }
}

export interface ArenaRecord {
  archiveHeader: Buffer;
  /** Content header + file bytes: what the checksum covers. */
  hashed: Buffer;
  data: Buffer;
}

/** The worker's side: the records of an arena, in order. */
export function* arenaRecords(arena: ArrayBuffer, count: number): Generator<ArenaRecord> {
  const buf = Buffer.from(arena);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const headerLength = buf.readUInt32LE(at);
    const archiveHeaderLength = buf.readUInt32LE(at + 4);
    const dataLength = buf.readUInt32LE(at + 8);
    at += RECORD_OVERHEAD;
    const archiveHeader = buf.subarray(at, (at += archiveHeaderLength));
    const hashed = buf.subarray(at, at + headerLength + dataLength);
    const data = hashed.subarray(headerLength);
    at += hashed.length;
    yield { archiveHeader, hashed, data };
  }
}
