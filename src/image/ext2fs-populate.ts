// The portable path, for e2fsprogs older than 1.47.1: the empty filesystem made by
// mkfs.ext4 is filled through the ext2fs WASM library, one call at a time (calls in
// parallel corrupt link counts), then one debugfs pass sets what the library cannot:
// owners (it keeps 16 bits), mtimes other than the epoch (it has no utimes), xattrs
// and the immutable flag. Files of 4 GiB or more are refused (its offsets wrap).
import type { Ext2FsPromises } from 'ext2fs';
import type { Repo } from '../repo/repo.js';
import { readArchiveContent, readArchiveHeader } from '../sysroot/archive-object.js';
import type { FileEntry, SysrootEntry } from '../sysroot/sysroot-entry.js';
import type { TarProgress } from '../sysroot/tar-writer.js';
import { DebugfsScript } from './debugfs-script.js';
import { withFixedClock } from './fixed-clock.js';
import { ImageError } from './image-error.js';
import { loadExt2fs } from './load-ext2fs.js';
import { ImageDisk } from './wasm-disk.js';

const O_WRONLY = 1;
const O_CREAT = 0o100;
const MAX_FILE = 2 ** 32;

export function checkPortable(entries: readonly SysrootEntry[]): void {
  const big = entries.find((e) => e.kind === 'file' && e.size >= MAX_FILE);
  if (big) throw new ImageError(`/${big.path} is 4 GiB or larger, which the portable ext4 writer cannot write; install e2fsprogs >= 1.47.1 for the mke2fs path`);
}

async function* contentOf(entry: FileEntry, source: Repo): AsyncGenerator<Buffer> {
  if ('data' in entry.content) yield entry.content.data;
  else yield* readArchiveContent(source, entry.content.object, readArchiveHeader(source, entry.content.object));
}

/** Writes the file's non-zero blocks (holes elsewhere, as mke2fs does), always its last byte. */
async function writeFile(fs: Ext2FsPromises, entry: FileEntry, source: Repo, blockSize: number, progress: TarProgress): Promise<void> {
  const handle = await fs.open(`/${entry.path}`, O_WRONLY | O_CREAT, entry.perms);
  const zeros = Buffer.alloc(blockSize);
  let offset = 0;
  try {
    for await (const chunk of contentOf(entry, source)) {
      let runStart = -1;
      const flush = async (end: number): Promise<void> => {
        if (runStart < 0) return;
        const run = chunk.subarray(runStart, end);
        await fs.write(handle.fd, run, 0, run.length, offset + runStart);
        runStart = -1;
      };
      for (let at = 0; at < chunk.length; ) {
        // Pieces end on filesystem block boundaries of the file, whatever the chunking.
        const end = Math.min(chunk.length, at + blockSize - ((offset + at) % blockSize));
        const piece = chunk.subarray(at, end);
        const last = offset + end === entry.size;
        if (piece.equals(zeros.subarray(0, piece.length)) && !last) await flush(at);
        else if (runStart < 0) runStart = at;
        at = end;
      }
      await flush(chunk.length);
      offset += chunk.length;
      progress.bytes += chunk.length;
    }
  } finally {
    await fs.close(handle.fd);
  }
}

/** libext2fs's EXT2_ET_DIR_NO_SPACE (the library reports error-table codes as they are). */
const EXT2_ET_DIR_NO_SPACE = 2133571366;
/** A name no sysroot entry has, for growing a directory. */
const EXPANDER = '.yocto-ostree-grow-directory';

/**
 * The library's mkdir does not grow a full parent directory (its file creation does):
 * creating and removing a file grows it by a block, then mkdir is tried again.
 */
async function mkdir(fs: Ext2FsPromises, path: string, perms: number): Promise<void> {
  try {
    await fs.mkdir(path, perms);
  } catch (e) {
    if ((e as { errno?: number }).errno !== EXT2_ET_DIR_NO_SPACE) throw e;
    const spare = `${path.slice(0, path.lastIndexOf('/'))}/${EXPANDER}`;
    const handle = await fs.open(spare, O_WRONLY | O_CREAT, 0o600);
    await fs.close(handle.fd);
    await fs.unlink(spare);
    await fs.mkdir(path, perms);
  }
}

async function create(fs: Ext2FsPromises, e: SysrootEntry, source: Repo, blockSize: number, progress: TarProgress): Promise<void> {
  const path = `/${e.path}`;
  if (e.kind === 'dir') {
    if (e.path !== '') await mkdir(fs, path, e.perms);
  } else if (e.kind === 'symlink') await fs.symlink(e.target, path);
  else if (e.kind === 'hardlink') await fs.link(`/${e.to.path}`, path);
  else await writeFile(fs, e, source, blockSize, progress);
}

/** The debugfs commands that complete what the library wrote. */
export function wasmPathFixups(entries: readonly SysrootEntry[], epoch: number): DebugfsScript {
  const script = new DebugfsScript();
  for (const e of entries) {
    if (e.kind === 'hardlink') continue;
    if (e.uid !== 0) script.setField(e.path, 'uid', e.uid);
    if (e.gid !== 0) script.setField(e.path, 'gid', e.gid);
    if (e.mtime !== epoch) script.setField(e.path, 'mtime', e.mtime);
    for (const x of e.xattrs) script.setXattr(e.path, x);
  }
  return script;
}

export async function populateWithExt2fs(image: string, epoch: number, blockSize: number, entries: readonly SysrootEntry[], source: Repo, onProgress?: (p: TarProgress) => void): Promise<void> {
  checkPortable(entries);
  const root = entries.find((e) => e.path === '');
  if (root?.kind !== 'dir' || root.perms !== 0o755) throw new Error('internal: the sysroot root must be a 0755 directory (mkfs makes it)');
  const ext2fs = await loadExt2fs();
  const disk = await ImageDisk.open(image, true);
  const progress: TarProgress = { entries: 0, bytes: 0 };
  try {
    await withFixedClock(epoch, async () => {
      const fs = await ext2fs.mount(disk, 0);
      try {
        for (const e of entries) {
          try {
            await create(fs.promises, e, source, blockSize, progress);
          } catch (err) {
            const code = (err as { code?: string }).code;
            if (code === 'ENOSPC') throw new ImageError(`the image ran out of space at /${e.path}; give a larger --size`);
            if (err instanceof ImageError) throw err;
            throw new ImageError(`the ext2fs library could not create /${e.path}: ${(err as Error).message.split('\n')[0]}`);
          }
          progress.entries++;
          onProgress?.(progress);
        }
      } finally {
        await ext2fs.umount(fs);
      }
    });
  } finally {
    await disk.close();
  }
}
