// How the otaimg filesystem is made, the same on both paths: meta-updater's
// EXTRA_IMAGECMD:ota-ext4 ("-L otaroot -i 4096 -t ext4"), plus what makes the bytes
// reproducible: the UUID and the directory hash seed derived from the commit,
// E2FSPROGS_FAKE_TIME for every time e2fsprogs would take from the clock, and the
// root directory owned by 0:0 whoever runs it.
import { createHash } from 'node:crypto';
import { ImageError } from './image-error.js';

export const LABEL = 'otaroot';

export interface Ext4Params {
  sizeKiB: number;
  uuid: string;
  hashSeed: string;
  /** Seconds since the epoch; > 0 (e2fsprogs reads a fake time of 0 as "unset"). */
  epoch: number;
}

/** A version-4-shaped UUID from sha256(purpose, commit): stable per commit, distinct per purpose. */
export function derivedUuid(commit: string, purpose: string): string {
  const b = createHash('sha256').update(`yocto-ostree otaimg ${purpose}\0${commit}`).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function ext4Params(commit: string, sizeKiB: number, epoch: number): Ext4Params {
  if (!(epoch > 0)) throw new ImageError(`the image time must be after 1970-01-01 (SOURCE_DATE_EPOCH or the commit time is ${epoch})`);
  return { sizeKiB, uuid: derivedUuid(commit, 'filesystem uuid'), hashSeed: derivedUuid(commit, 'directory hash seed'), epoch };
}

/** mke2fs arguments before the image path; `-d SOURCE` goes in front on the fast path. */
export function mke2fsArgs(p: Ext4Params): string[] {
  return ['-F', '-q', '-t', 'ext4', '-L', LABEL, '-i', '4096', '-U', p.uuid, '-E', `hash_seed=${p.hashSeed},root_owner=0:0`];
}

/**
 * The environment every e2fsprogs run gets: the fixed clock, English messages (they
 * are parsed) in a UTF-8 locale (libarchive refuses non-ASCII names in the C locale),
 * no pager.
 */
export function e2fsEnv(p: Ext4Params): Record<string, string> {
  return { E2FSPROGS_FAKE_TIME: String(p.epoch), LC_ALL: 'C.UTF-8', DEBUGFS_PAGER: '__none__' };
}
