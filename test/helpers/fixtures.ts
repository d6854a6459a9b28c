// Builds rootfs fixtures with real tools: a directory tree made with node:fs,
// setfattr for xattrs, packed by GNU tar the way Yocto packs a rootfs.
import { chmodSync, chownSync, lchownSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mustRun } from './run.js';

export type FixtureEntry =
  | { path: string; type: 'file'; content?: string | Buffer; mode?: number; uid?: number; gid?: number; xattrs?: Record<string, string> }
  | { path: string; type: 'dir'; mode?: number; uid?: number; gid?: number; xattrs?: Record<string, string> }
  | { path: string; type: 'symlink'; target: string; uid?: number; gid?: number }
  | { path: string; type: 'hardlink'; target: string };

/** Creates the entries under `root` (parents first, as listed). */
export async function buildTree(root: string, entries: FixtureEntry[]): Promise<void> {
  mkdirSync(root, { recursive: true });
  for (const e of entries) {
    const p = join(root, e.path);
    mkdirSync(dirname(p), { recursive: true });
    if (e.type === 'dir') mkdirSync(p, { recursive: true });
    else if (e.type === 'file') writeFileSync(p, e.content ?? '');
    else if (e.type === 'symlink') symlinkSync(e.target, p);
    else linkSync(join(root, e.target), p);
    if (e.type === 'symlink') lchownSync(p, e.uid ?? 0, e.gid ?? 0);
    if (e.type === 'file' || e.type === 'dir') {
      chownSync(p, e.uid ?? 0, e.gid ?? 0);
      chmodSync(p, e.mode ?? (e.type === 'dir' ? 0o755 : 0o644));
      for (const [name, value] of Object.entries(e.xattrs ?? {})) await mustRun('setfattr', ['-n', name, '-v', value, p]);
    }
  }
}

/**
 * Packs `root` as Yocto's image_types does: POSIX format, numeric owners, xattrs,
 * sorted names. `compress` picks the tar filter (gzip, bzip2, xz, zstd).
 */
export async function packTar(root: string, out: string, compress?: 'gzip' | 'bzip2' | 'xz' | 'zstd'): Promise<string> {
  const args = ['--sort=name', '--format=posix', '--numeric-owner', '--xattrs', "--xattrs-include=*", '-C', root, '-cf', out];
  if (compress) args.unshift(`--${compress}`);
  args.push('.');
  // Fast compression levels: the tests need the formats, not the ratios.
  await mustRun('tar', args, { env: { XZ_OPT: '-0', BZIP2: '-1', GZIP: '-1' } });
  return out;
}
