// Accumulates one delta part: the object list, the (uid, gid, mode) and xattr
// tables (each distinct value once), the raw data and the opcodes that splice
// objects out of it — in the op sequences ostree's own compiler emits.
// With `align`, each object starts at a multiple of it in the serialized part
// (not just in the data): xz's branch filters only see aligned instructions.
import { encodeVariant } from '../gvariant/index.js';
import { encodePartPayload, OP, OpWriter, type FileMode } from '../ostree/delta-part.js';
import type { DeltaObject } from '../ostree/delta-superblock.js';
import type { FileMeta } from '../ostree/file-header.js';
import type { ObjectType } from '../ostree/object-type.js';
import { xattrsToVariant, type Xattr } from '../ostree/xattrs.js';
import { checksumToBytes } from '../ostree/checksum.js';
import { swap32 } from '../ostree/byte-order.js';

/** An opcode; `dataArgs` lists the arguments that are offsets into the data. */
interface PendingOp {
  code: number;
  args: number[];
  dataArgs: number[];
}

export class PartBuilder {
  readonly objects: DeltaObject[] = [];
  private modes: FileMode[] = [];
  private modeIndex = new Map<string, number>();
  private xattrs: Xattr[][] = [];
  private xattrIndex = new Map<string, number>();
  private data: Buffer[] = [];
  private ops: PendingOp[] = [];
  /** Bytes of raw data so far. */
  dataSize = 0;
  /** Bytes of the objects the part writes on the client. */
  private written = 0;

  constructor(private align = 1) {}

  private append(bytes: Buffer, aligned = false): number {
    const pad = aligned ? (this.align - (this.dataSize % this.align)) % this.align : 0;
    if (pad > 0) this.data.push(Buffer.alloc(pad));
    const at = this.dataSize + pad;
    this.data.push(bytes);
    this.dataSize = at + bytes.length;
    return at;
  }

  private op(code: number, args: number[], dataArgs: number[] = []): void {
    this.ops.push({ code, args, dataArgs });
  }

  private modeOf(meta: FileMeta): number {
    const key = `${meta.uid}:${meta.gid}:${meta.mode}`;
    let i = this.modeIndex.get(key);
    if (i === undefined) {
      i = this.modes.push({ uid: meta.uid, gid: meta.gid, mode: meta.mode }) - 1;
      this.modeIndex.set(key, i);
    }
    return i;
  }

  private xattrsOf(meta: FileMeta): number {
    const key = JSON.stringify(meta.xattrs.map((x) => [x.name, x.value.toString('hex')]));
    let i = this.xattrIndex.get(key);
    if (i === undefined) {
      i = this.xattrs.push(meta.xattrs) - 1;
      this.xattrIndex.set(key, i);
    }
    return i;
  }

  /** A dirtree or dirmeta, written whole. */
  addMetadata(type: ObjectType, checksum: string, bytes: Buffer): void {
    this.objects.push({ type, checksum });
    this.written += bytes.length;
    this.op(OP.OPEN_SPLICE_AND_CLOSE, [bytes.length, this.append(bytes)], [1]);
  }

  /** A content object written whole: `content` is the file data, or a symlink's target. */
  addWhole(checksum: string, meta: FileMeta, content: Buffer): void {
    this.objects.push({ type: 'file', checksum });
    this.written += content.length;
    const mode = this.modeOf(meta);
    const xattrs = this.xattrsOf(meta);
    this.op(OP.OPEN_SPLICE_AND_CLOSE, [mode, xattrs, content.length, this.append(content, true)], [3]);
  }

  /** A regular file rebuilt on the client by patching its copy of `from`. */
  addPatch(checksum: string, meta: FileMeta, size: number, from: string, patch: Buffer): void {
    this.objects.push({ type: 'file', checksum });
    this.written += size;
    const mode = this.modeOf(meta);
    const xattrs = this.xattrsOf(meta);
    this.op(OP.SET_READ_SOURCE, [this.append(checksumToBytes(from))], [0]);
    this.op(OP.OPEN, [mode, xattrs, size]);
    this.op(OP.BSPATCH, [this.append(patch), patch.length], [0]);
    this.op(OP.CLOSE, []);
    this.op(OP.UNSET_READ_SOURCE, []);
  }

  /**
   * The size to declare as uncompressed: at least the payload (newer clients
   * refuse parts that decompress to more than declared) and at least what the
   * part writes (2022.7 checks free disk space against it).
   */
  usize(payload: Buffer): number {
    return Math.max(payload.length, this.written);
  }

  /** The serialized payload (a(uuu)aa(ayay)ayay), before compression. */
  finish(): Buffer {
    // The data follows the two tables directly (both have alignment ≤ 4).
    const tables =
      encodeVariant('a(uuu)', this.modes.map((m) => [swap32(m.uid), swap32(m.gid), swap32(m.mode)])).length +
      encodeVariant('aa(ayay)', this.xattrs.map((x) => xattrsToVariant(x))).length;
    const shift = (this.align - (tables % this.align)) % this.align;
    const writer = new OpWriter();
    for (const o of this.ops) writer.op(o.code, ...o.args.map((a, i) => (o.dataArgs.includes(i) ? a + shift : a)));
    const data = Buffer.concat([Buffer.alloc(shift), ...this.data], shift + this.dataSize);
    return encodePartPayload({ modes: this.modes, xattrs: this.xattrs, data, ops: writer.finish() });
  }
}
