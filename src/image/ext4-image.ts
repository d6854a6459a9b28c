// An ext4 image opened read-only, without mounting and without root: names,
// directories, links and file bytes through the ext2fs WASM library, and each
// inode's full metadata (32-bit owners, flags, times, xattrs) from the raw inode.
// `yocto-ostree inspect` and the tests read images with this.
import type { Ext2Fs } from 'ext2fs';
import { compareNames } from '../ostree/dirtree.js';
import { ImageError } from './image-error.js';
import { loadExt2fs } from './load-ext2fs.js';
import { RawInodeReader, type RawInode } from './raw-inode.js';
import { ImageDisk } from './wasm-disk.js';

export type NodeKind = 'dir' | 'file' | 'symlink' | 'other';

export interface ImageNode extends RawInode {
  kind: NodeKind;
  /** Permission bits. */
  perms: number;
}

const O_RDONLY = 0;
const O_NOFOLLOW = 0o400000;
const O_NOATIME = 0o1000000;
const CHUNK = 1 << 20;

function kindOf(mode: number): NodeKind {
  switch (mode & 0o170000) {
    case 0o040000:
      return 'dir';
    case 0o100000:
      return 'file';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

const abs = (path: string): string => `/${path}`;

export class Ext4Image {
  private constructor(
    private readonly disk: ImageDisk,
    private readonly fs: Ext2Fs,
    private readonly raw: RawInodeReader,
  ) {}

  static async open(path: string): Promise<Ext4Image> {
    const raw = new RawInodeReader(path);
    const ext2fs = await loadExt2fs();
    const disk = await ImageDisk.open(path, false);
    try {
      return new Ext4Image(disk, await ext2fs.mount(disk, 0), raw);
    } catch (e) {
      raw.close();
      await disk.close();
      throw new ImageError(`${path}: cannot open the filesystem (${(e as Error).message.split('\n')[0]})`);
    }
  }

  get label(): string {
    return this.raw.label;
  }

  get uuid(): string {
    return this.raw.uuid;
  }

  async close(): Promise<void> {
    const ext2fs = await loadExt2fs();
    // The library opened it read-write; the disk refuses the superblock write at unmount.
    await ext2fs.umount(this.fs).catch(() => undefined);
    await this.disk.close();
    this.raw.close();
  }

  /** The node at `path` (relative to the root, '' for the root), symlinks not followed; undefined when missing. */
  async lstat(path: string): Promise<ImageNode | undefined> {
    let ino: number;
    try {
      ino = (await this.fs.promises.lstat(abs(path))).ino;
    } catch {
      return undefined;
    }
    const inode = this.raw.inode(ino);
    return { ...inode, kind: kindOf(inode.mode), perms: inode.mode & 0o7777 };
  }

  /** Names in a directory, byte-sorted (the library decodes them as UTF-8, as ostree names are). */
  async readdir(path: string): Promise<string[]> {
    return (await this.fs.promises.readdir(abs(path))).sort(compareNames);
  }

  async readlink(path: string): Promise<string> {
    return this.fs.promises.readlink(abs(path));
  }

  /** A regular file's bytes in chunks (reads never write the atime back). */
  async *chunks(path: string): AsyncGenerator<Buffer> {
    const handle = await this.fs.promises.open(abs(path), O_RDONLY | O_NOFOLLOW | O_NOATIME);
    try {
      for (let position = 0; ; ) {
        const buf = Buffer.alloc(CHUNK);
        const { bytesRead } = await this.fs.promises.read(handle.fd, buf, 0, CHUNK, position);
        if (bytesRead === 0) return;
        position += bytesRead;
        yield buf.subarray(0, bytesRead);
      }
    } finally {
      await this.fs.promises.close(handle.fd);
    }
  }

  async readFile(path: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(path)) parts.push(chunk);
    return Buffer.concat(parts);
  }
}
