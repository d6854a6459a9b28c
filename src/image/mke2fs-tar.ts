// The fast path: the sysroot tarball streamed into `mke2fs -d -` (e2fsprogs
// >= 1.47.1 reads tarballs through libarchive), no staging copy. mke2fs keeps owners,
// modes, hardlinks and the tar times, but of the xattrs only security.capability
// (create_inode_libarchive.c filters the rest): those are added by the debugfs pass,
// which also moves the hoisted directories into place (hoisted-dirs.ts).
import type { Repo } from '../repo/repo.js';
import { streamingOrder } from '../sysroot/entry-order.js';
import type { SysrootEntry } from '../sysroot/sysroot-entry.js';
import { writeSysrootTar, type TarProgress } from '../sysroot/tar-writer.js';
import { DebugfsScript } from './debugfs-script.js';
import { moveIntoPlace, type Hoist } from './hoisted-dirs.js';
import { e2fsEnv, mke2fsArgs, type Ext4Params } from './ext4-params.js';
import { ImageError } from './image-error.js';
import { loadExeca } from '../host-tools.js';

/** The xattrs mke2fs takes from a tarball (1.47.1-1.47.4). */
const MKE2FS_TAR_XATTRS = new Set(['security.capability', 'gnu.translator']);

/** `memberPath`: where mke2fs is to put each sysroot path (hoistedPath). */
export async function mke2fsFromTar(image: string, p: Ext4Params, entries: readonly SysrootEntry[], source: Repo, memberPath: (path: string) => string, onProgress?: (t: TarProgress) => void): Promise<void> {
  const execa = await loadExeca();
  const child = execa('mke2fs', [...mke2fsArgs(p), '-d', '-', image, `${p.sizeKiB}k`], { env: e2fsEnv(p), stdin: 'pipe', reject: false });
  let tarError: unknown;
  try {
    await writeSysrootTar(streamingOrder(entries), p.epoch, source, child.stdin!, onProgress, memberPath);
  } catch (e) {
    tarError = e;
    child.stdin?.destroy();
  }
  const r = await child;
  if (r.exitCode !== 0) {
    const lines = String(r.stderr).trim().split('\n').filter(Boolean);
    if (lines.some((l) => /libarchive/.test(l))) throw new ImageError('mke2fs cannot read tarballs without libarchive: install libarchive13 (or use --ext4-writer portable)');
    // mke2fs stopping early closes the pipe: its message, not EPIPE, says why.
    // The first line names the entry at fault; the last only says "while populating file system".
    throw new ImageError(`mke2fs failed: ${lines.map((l) => l.trim()).join('; ') || (r.exitCode === undefined ? r.message : `exit code ${r.exitCode}`)}`);
  }
  if (tarError) throw tarError;
}

/** The hoisted directories moved into place, then what mke2fs -d dropped from the tarball: the other xattrs. */
export function tarPathFixups(entries: readonly SysrootEntry[], hoists: readonly Hoist[]): DebugfsScript {
  const script = new DebugfsScript();
  moveIntoPlace(script, hoists, entries);
  for (const e of entries) {
    if (e.kind === 'hardlink') continue;
    for (const x of e.xattrs) if (!MKE2FS_TAR_XATTRS.has(x.name)) script.setXattr(e.path, x);
  }
  return script;
}
