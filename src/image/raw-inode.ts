// Reads inodes straight from an ext4 image, for what the ext2fs WASM library does
// not report: 32-bit owners, flags, exact times and the extended attributes (in the
// inode's extra space and in its xattr block), POSIX ACLs turned back into the
// system.posix_acl_* values the kernel shows. Read-only.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Xattr } from '../ostree/xattrs.js';
import { ImageError } from './image-error.js';

export interface RawInode {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  links: number;
  flags: number;
  atime: number;
  mtime: number;
  ctime: number;
  xattrs: Xattr[];
}

const EXT4_MAGIC = 0xef53;
const EA_MAGIC = 0xea020000;
const INCOMPAT_64BIT = 0x80;
const PREFIXES: Record<number, string> = { 1: 'user.', 2: 'system.posix_acl_access', 3: 'system.posix_acl_default', 4: 'trusted.', 6: 'security.', 7: 'system.', 8: 'system.richacl' };

/** ext4's compact ACL (version 1; 4-byte entries without an id) → the xattr form (version 2, 8-byte entries). */
function aclToXattr(disk: Buffer): Buffer {
  const out = [Buffer.from([2, 0, 0, 0])];
  for (let at = 4; at < disk.length; ) {
    const tag = disk.readUInt16LE(at);
    const perm = disk.readUInt16LE(at + 2);
    const withId = tag === 0x02 || tag === 0x08; // ACL_USER, ACL_GROUP
    const e = Buffer.alloc(8);
    e.writeUInt16LE(tag, 0);
    e.writeUInt16LE(perm, 2);
    e.writeUInt32LE(withId ? disk.readUInt32LE(at + 4) : 0xffffffff, 4);
    out.push(e);
    at += withId ? 8 : 4;
  }
  return Buffer.concat(out);
}

export class RawInodeReader {
  private readonly fd: number;
  private readonly blockSize: number;
  private readonly inodeSize: number;
  private readonly inodesPerGroup: number;
  private readonly descSize: number;
  private readonly descTable: number;
  /** Volume label and UUID from the superblock. */
  readonly label: string;
  readonly uuid: string;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    const sb = this.read(1024, 1024);
    if (sb.readUInt16LE(56) !== EXT4_MAGIC) {
      closeSync(this.fd);
      throw new ImageError(`${path} is not an ext2/3/4 filesystem`);
    }
    this.blockSize = 1024 << sb.readUInt32LE(24);
    this.inodesPerGroup = sb.readUInt32LE(40);
    this.inodeSize = sb.readUInt32LE(76) >= 1 ? sb.readUInt16LE(88) : 128;
    this.descSize = sb.readUInt32LE(96) & INCOMPAT_64BIT ? sb.readUInt16LE(254) : 32;
    this.descTable = (sb.readUInt32LE(20) + 1) * this.blockSize;
    this.label = sb.toString('utf8', 120, 136).replace(/\0.*$/s, '');
    const u = sb.toString('hex', 104, 120);
    this.uuid = `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
  }

  close(): void {
    closeSync(this.fd);
  }

  private read(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    readSync(this.fd, buf, 0, length, offset);
    return buf;
  }

  private inodeTable(group: number): number {
    const d = this.read(this.descTable + group * this.descSize, this.descSize);
    const lo = d.readUInt32LE(8);
    const hi = this.descSize >= 64 ? d.readUInt32LE(0x28) : 0;
    return (hi * 2 ** 32 + lo) * this.blockSize;
  }

  /** Entries of an xattr list starting at `at` in `buf`; values at `valueBase` + e_value_offs. */
  private static entries(buf: Buffer, at: number, valueBase: number, end: number): Xattr[] {
    const out: Xattr[] = [];
    while (at + 16 <= end && buf.readUInt32LE(at) !== 0) {
      const nameLen = buf[at];
      const index = buf[at + 1];
      const valueOffs = buf.readUInt16LE(at + 2);
      if (buf.readUInt32LE(at + 4) !== 0) throw new ImageError('an xattr value is stored in its own inode (ea_inode), which yocto-ostree does not read');
      const valueSize = buf.readUInt32LE(at + 8);
      const suffix = buf.toString('utf8', at + 16, at + 16 + nameLen);
      const prefix = PREFIXES[index] ?? '';
      let value: Buffer = Buffer.from(buf.subarray(valueBase + valueOffs, valueBase + valueOffs + valueSize));
      if (index === 2 || index === 3) value = aclToXattr(value);
      out.push({ name: prefix + suffix, value });
      at += (16 + nameLen + 3) & ~3;
    }
    return out;
  }

  inode(ino: number): RawInode {
    const group = Math.floor((ino - 1) / this.inodesPerGroup);
    const raw = this.read(this.inodeTable(group) + ((ino - 1) % this.inodesPerGroup) * this.inodeSize, this.inodeSize);
    const xattrs: Xattr[] = [];
    if (this.inodeSize > 128) {
      const extra = raw.readUInt16LE(128);
      const at = 128 + extra;
      if (at + 4 <= raw.length && raw.readUInt32LE(at) === EA_MAGIC) xattrs.push(...RawInodeReader.entries(raw, at + 4, at + 4, raw.length));
    }
    const aclBlock = raw.readUInt16LE(118) * 2 ** 32 + raw.readUInt32LE(104);
    if (aclBlock !== 0) {
      const block = this.read(aclBlock * this.blockSize, this.blockSize);
      if (block.readUInt32LE(0) !== EA_MAGIC) throw new ImageError(`inode ${ino}: bad xattr block ${aclBlock}`);
      xattrs.push(...RawInodeReader.entries(block, 32, 0, block.length));
    }
    return {
      ino,
      mode: raw.readUInt16LE(0),
      uid: raw.readUInt16LE(2) + raw.readUInt16LE(120) * 0x10000,
      gid: raw.readUInt16LE(24) + raw.readUInt16LE(122) * 0x10000,
      size: raw.readUInt32LE(108) * 2 ** 32 + raw.readUInt32LE(4),
      links: raw.readUInt16LE(26),
      flags: raw.readUInt32LE(32),
      atime: raw.readInt32LE(8),
      ctime: raw.readInt32LE(12),
      mtime: raw.readInt32LE(16),
      xattrs,
    };
  }
}
