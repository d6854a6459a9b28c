// Will the sysroot fit? Checked on the empty filesystem (before the portable writer
// writes, after the fast one failed): its free blocks and inodes (dumpe2fs -h)
// against what the entries need at its block size (data, directory, symlink, extent
// and xattr blocks, inodes). The estimate errs on the large side; a portable write
// that still runs out of space fails with the writer's own message and leaves
// nothing behind.
import { xattrsToVariant } from '../ostree/xattrs.js';
import type { SysrootEntry } from '../sysroot/sysroot-entry.js';
import { runE2fs } from './e2fsprogs.js';
import { ImageError } from './image-error.js';
import { directoryBytes } from './rootfs-size.js';

export interface FsGeometry {
  blockSize: number;
  blockCount: number;
  freeBlocks: number;
  freeInodes: number;
  inodeSize: number;
}

export interface Needs {
  blocks: number;
  inodes: number;
}

/** Parses `dumpe2fs -h` output. */
export function parseDumpe2fs(text: string): FsGeometry {
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    if (!m) throw new ImageError(`dumpe2fs -h did not report "${name}"`);
    return Number(m[1]);
  };
  return { blockSize: field('Block size'), blockCount: field('Block count'), freeBlocks: field('Free blocks'), freeInodes: field('Free inodes'), inodeSize: field('Inode size') };
}

export async function readGeometry(image: string, env: Record<string, string>): Promise<FsGeometry> {
  return parseDumpe2fs((await runE2fs('dumpe2fs', ['-h', image], env)).stdout);
}

/** Fast symlinks keep up to 59 bytes of target in the inode. */
const FAST_SYMLINK_MAX = 59;
/** Initialized extents cover at most 32768 blocks; four fit in the inode. */
const EXTENT_BLOCKS = 32768;

/** Whether the xattrs fit in the inode's extra space (else libext2fs puts them in a block). */
function xattrsInInode(entry: { xattrs: { name: string; value: Buffer }[] }, inodeSize: number): boolean {
  if (entry.xattrs.length === 0) return true;
  const room = inodeSize - 128 - 32 - 4;
  const used = (xattrsToVariant(entry.xattrs) as [Buffer, Buffer][]).reduce((sum, [name, value]) => sum + 16 + Math.ceil(name.length / 4) * 4 + Math.ceil(value.length / 4) * 4, 4);
  return used <= room;
}

/** What the entries need (`dirNames`: the names in each directory, Sysroot.dirNames). */
export function sysrootNeeds(entries: readonly SysrootEntry[], dirNames: ReadonlyMap<string, readonly string[]>, g: Pick<FsGeometry, 'blockSize' | 'inodeSize'>): Needs {
  const bs = g.blockSize;
  let blocks = 0;
  let inodes = 0;
  for (const e of entries) {
    if (e.kind === 'hardlink') continue;
    if (e.path !== '') inodes++;
    if (!xattrsInInode(e, g.inodeSize)) blocks++;
    if (e.kind === 'dir') blocks += directoryBytes(dirNames.get(e.path) ?? [], bs) / bs;
    else if (e.kind === 'symlink') blocks += Buffer.byteLength(e.target) > FAST_SYMLINK_MAX ? 1 : 0;
    else {
      const data = Math.ceil(e.size / bs);
      const extents = Math.ceil(data / EXTENT_BLOCKS);
      const extentBlocks = extents > 4 ? Math.ceil(extents / ((bs - 12) / 12)) : 0;
      // The WASM library writes block-mapped files: one indirect block per bs/4 blocks past the 12th.
      const indirectBlocks = data > 12 ? Math.ceil((data - 12) / (bs / 4)) + 1 : 0;
      blocks += data + Math.max(extentBlocks, indirectBlocks);
    }
  }
  return { blocks, inodes };
}

/** Throws, saying how big the image must be, when the needs exceed the empty filesystem's free space. */
export function checkFits(needs: Needs, g: FsGeometry, sizeKiB: number): void {
  const shortBlocks = needs.blocks > g.freeBlocks;
  const shortInodes = needs.inodes > g.freeInodes;
  if (!shortBlocks && !shortInodes) return;
  // Metadata grows with the filesystem: scale by the share the empty one leaves free.
  const byBlocks = (needs.blocks * g.blockSize) / 1024 / (g.freeBlocks / g.blockCount);
  const byInodes = needs.inodes * 4; // -i 4096: one inode per 4 KiB
  const needed = Math.ceil(Math.max(byBlocks, byInodes) / 1024) * 1024;
  const what = shortBlocks ? `${Math.ceil((needs.blocks * g.blockSize) / 1024)} KiB of blocks, ${Math.floor((g.freeBlocks * g.blockSize) / 1024)} KiB free` : `${needs.inodes} inodes, ${g.freeInodes} free`;
  throw new ImageError(`the sysroot does not fit in ${sizeKiB} KiB (it needs ${what}); use at least --size ${needed} (KiB)`);
}
