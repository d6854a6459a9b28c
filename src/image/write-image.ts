// From sysroot entries to the output file: a tarball, or an ext4 filesystem by the
// fast path (mke2fs -d from the tar stream) or the portable one (mkfs.ext4 + the
// ext2fs WASM library), each completed by one debugfs pass. Whether the content fits
// the empty filesystem is checked before the portable path writes (it is slow to fail)
// and after the fast path failed (to say why, and what size would do).
import { createWriteStream, truncateSync } from 'node:fs';
import type { Repo } from '../repo/repo.js';
import type { Sysroot } from '../sysroot/build-sysroot.js';
import type { SysrootEntry } from '../sysroot/sysroot-entry.js';
import { writeSysrootTar, type TarProgress } from '../sysroot/tar-writer.js';
import { optimizeAfter } from '../v8-tiering.js';
import { IMMUTABLE_FL, inodeFlags, type DebugfsScript } from './debugfs-script.js';
import { detectE2fsprogs, runE2fs } from './e2fsprogs.js';
import { e2fsEnv, ext4Params, mke2fsArgs, type Ext4Params } from './ext4-params.js';
import { checkFits, readGeometry, sysrootNeeds, type FsGeometry } from './fit-check.js';
import { populateWithExt2fs, wasmPathFixups } from './ext2fs-populate.js';
import { hoistedDirectories, hoistedPath } from './hoisted-dirs.js';
import { ImageError } from './image-error.js';
import { mke2fsFromTar, tarPathFixups } from './mke2fs-tar.js';
import { sysrootUsageKiB, yoctoImageSizeKiB, type SizeSettings } from './rootfs-size.js';
import type { TempOutput } from './temp-output.js';

export type Ext4Writer = 'auto' | 'mke2fs' | 'portable';

export interface ImageRequest {
  sysroot: Sysroot;
  source: Repo;
  out: TempOutput;
  format: 'ext4' | 'tar';
  /** KiB, or Yocto's formula. */
  size: number | 'auto';
  sizeSettings: SizeSettings;
  writer: Ext4Writer;
  onProgress?: (p: TarProgress) => void;
}

export interface ImageResult {
  format: 'ext4' | 'tar';
  writer?: 'mke2fs' | 'portable';
  e2fsprogs?: string;
  sizeKiB?: number;
  uuid?: string;
  /** Commands the debugfs pass ran. */
  debugfsCommands?: number;
}

async function chooseWriter(requested: Ext4Writer): Promise<{ writer: 'mke2fs' | 'portable'; version: string }> {
  const tools = await detectE2fsprogs();
  if (requested === 'mke2fs' && !tools.tarInput) throw new ImageError(`--ext4-writer mke2fs needs e2fsprogs >= 1.47.1 (mke2fs -d with a tarball); this is ${tools.versionText}`);
  const writer = requested === 'portable' || !tools.tarInput ? 'portable' : 'mke2fs';
  return { writer, version: tools.versionText };
}

/** Adds chattr +i for the entries that want it, keeping the inode's other flags (read where the entry is before the script runs). */
async function addImmutable(script: DebugfsScript, image: string, req: ImageRequest, p: Ext4Params, pathNow: (path: string) => string): Promise<void> {
  for (const e of req.sysroot.entries) {
    if (e.kind === 'dir' && e.immutable) script.setField(e.path, 'flags', (await inodeFlags(image, pathNow(e.path), e2fsEnv(p))) | IMMUTABLE_FL);
  }
}

/** Makes the empty filesystem in `image`; throws, saying what size would do, when the sysroot cannot fit in it. */
async function emptyFilesystem(image: string, p: Ext4Params, entries: readonly SysrootEntry[], dirNames: ReadonlyMap<string, readonly string[]>): Promise<FsGeometry> {
  await runE2fs('mke2fs', [...mke2fsArgs(p), image, `${p.sizeKiB}k`], e2fsEnv(p));
  const geometry = await readGeometry(image, e2fsEnv(p));
  checkFits(sysrootNeeds(entries, dirNames, geometry), geometry, p.sizeKiB);
  return geometry;
}

async function writeExt4(req: ImageRequest): Promise<ImageResult> {
  const { entries, dirNames, commit, epoch } = req.sysroot;
  const sizeKiB = req.size === 'auto' ? yoctoImageSizeKiB(sysrootUsageKiB(entries, dirNames), req.sizeSettings) : req.size;
  const p = ext4Params(commit, sizeKiB, epoch);
  const { writer, version } = await chooseWriter(req.writer);
  const image = req.out.path;
  truncateSync(image, sizeKiB * 1024);
  let script: DebugfsScript;
  let pathNow = (path: string): string => path;
  if (writer === 'mke2fs') {
    const hoists = hoistedDirectories(req.sysroot);
    pathNow = hoistedPath(hoists);
    try {
      await mke2fsFromTar(image, p, entries, req.source, pathNow, req.onProgress);
    } catch (e) {
      // Checked only now: up front it cost an extra mke2fs and dumpe2fs on every run.
      if (e instanceof ImageError) await emptyFilesystem(image, p, entries, dirNames);
      throw e;
    }
    script = tarPathFixups(entries, hoists);
  } else {
    const geometry = await emptyFilesystem(image, p, entries, dirNames);
    optimizeAfter(1); // the library's JS glue is hot from the first block on
    await populateWithExt2fs(image, epoch, geometry.blockSize, entries, req.source, req.onProgress);
    script = wasmPathFixups(entries, epoch);
  }
  await addImmutable(script, image, req, p, pathNow);
  const debugfsCommands = script.length;
  await script.run(image, e2fsEnv(p));
  return { format: 'ext4', writer, e2fsprogs: version, sizeKiB, uuid: p.uuid, debugfsCommands };
}

/** Writes the image into req.out's temporary file (the caller commits or discards it). */
export async function writeImage(req: ImageRequest): Promise<ImageResult> {
  if (req.format === 'tar') {
    await writeSysrootTar(req.sysroot.entries, req.sysroot.epoch, req.source, createWriteStream(req.out.path), req.onProgress);
    return { format: 'tar' };
  }
  return writeExt4(req);
}
