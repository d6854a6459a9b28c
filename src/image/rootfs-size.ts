// The image size exactly as Yocto computes it for ota-ext4 (oe-core image.bbclass
// get_rootfs_size over oe.utils.directory_size of the sysroot): every inode once,
// its size rounded up to 4 KiB; times IMAGE_OVERHEAD_FACTOR, at least
// IMAGE_ROOTFS_SIZE, plus IMAGE_ROOTFS_EXTRA_SPACE, rounded up to
// IMAGE_ROOTFS_ALIGNMENT, at most IMAGE_ROOTFS_MAXSIZE. Directory sizes are what
// ext4 with 4 KiB blocks gives them (the sysroot is never on disk to be measured).
import type { SysrootEntry } from '../sysroot/sysroot-entry.js';
import { ImageError } from './image-error.js';

export interface SizeSettings {
  /** IMAGE_ROOTFS_SIZE, KiB. */
  rootfsSize: number;
  overheadFactor: number;
  /** IMAGE_ROOTFS_EXTRA_SPACE, KiB. */
  extraSpace: number;
  /** IMAGE_ROOTFS_ALIGNMENT, KiB. */
  alignment: number;
  /** IMAGE_ROOTFS_MAXSIZE, KiB. */
  maxSize?: number;
}

const BLOCK = 4096;
const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

/** ext4 directory entry: 8 bytes + name, padded to 4. */
export const direntBytes = (name: string): number => roundUp(8 + Buffer.byteLength(name), 4);

/** Bytes of the directory blocks ext4 gives a directory with these names (with "." and "..", 12-byte checksum tail). */
export function directoryBytes(names: readonly string[], blockSize = BLOCK): number {
  const used = 24 + names.reduce((sum, n) => sum + direntBytes(n), 0);
  const blocks = Math.ceil(used / (blockSize - 12));
  return (blocks > 1 ? blocks + 1 : 1) * blockSize; // an htree root once it spans blocks
}

/** oe.utils.directory_size of the sysroot, in KiB (`dirNames`: the names in each directory, Sysroot.dirNames). */
export function sysrootUsageKiB(entries: readonly SysrootEntry[], dirNames: ReadonlyMap<string, readonly string[]>): number {
  let bytes = 0;
  for (const e of entries) {
    if (e.kind === 'hardlink') continue; // counted once, at its first name
    if (e.kind === 'dir') bytes += roundUp(directoryBytes(dirNames.get(e.path) ?? []), BLOCK);
    else if (e.kind === 'symlink') bytes += roundUp(Buffer.byteLength(e.target), BLOCK);
    else bytes += roundUp(e.size, BLOCK);
  }
  return bytes / 1024;
}

/** get_rootfs_size: KiB. */
export function yoctoImageSizeKiB(usageKiB: number, s: SizeSettings): number {
  const base = Math.max(usageKiB * s.overheadFactor, s.rootfsSize) + s.extraSpace;
  let size = Math.ceil(base);
  size = roundUp(size, Math.max(1, s.alignment));
  if (s.maxSize !== undefined && s.maxSize > 0 && size > s.maxSize) {
    throw new ImageError(`the image needs ${size} KiB, more than IMAGE_ROOTFS_MAXSIZE (${s.maxSize} KiB)`);
  }
  return size;
}
