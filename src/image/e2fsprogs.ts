// The e2fsprogs tools on PATH and what they can do. mke2fs takes a tarball for -d
// from 1.47.1 on (through a dlopen()ed libarchive): that is the fast path. Older
// versions still make the empty filesystem the portable path fills.
import { ImageError } from './image-error.js';
import { loadExeca } from '../host-tools.js';

export type Version = [number, number, number];

export interface E2fsprogs {
  version: Version;
  /** "1.47.2" */
  versionText: string;
  /** mke2fs -d accepts a tarball (>= 1.47.1). */
  tarInput: boolean;
}

export const TAR_INPUT_SINCE: Version = [1, 47, 1];

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** "mke2fs 1.47.2 (1-Jan-2025)" → [1, 47, 2]. */
export function parseMke2fsVersion(text: string): Version | undefined {
  const m = /mke2fs (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

let detected: Promise<E2fsprogs> | undefined;

/** Runs `mke2fs -V` once per process. */
export function detectE2fsprogs(): Promise<E2fsprogs> {
  detected ??= (async () => {
    const execa = await loadExeca();
    const r = await execa('mke2fs', ['-V'], { reject: false });
    const version = parseMke2fsVersion(`${String(r.stdout)}\n${String(r.stderr)}`);
    if (r.failed && version === undefined) throw new ImageError('mke2fs was not found: install e2fsprogs (otaimg needs mke2fs and debugfs for --format ext4)');
    if (!version) throw new ImageError(`cannot tell the e2fsprogs version from "mke2fs -V": ${String(r.stderr).trim()}`);
    return { version, versionText: version.join('.'), tarInput: compareVersions(version, TAR_INPUT_SINCE) >= 0 };
  })();
  return detected;
}

/** Runs an e2fsprogs tool; a failure becomes one ImageError line with the tool's last message. */
export async function runE2fs(tool: string, args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const execa = await loadExeca();
  const r = await execa(tool, args, { env, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) {
    const last = String(r.stderr).trim().split('\n').filter(Boolean).pop() ?? (r.exitCode === undefined ? r.message : `exit code ${r.exitCode}`);
    throw new ImageError(`${tool} failed: ${last}`);
  }
  return { stdout: String(r.stdout), stderr: String(r.stderr) };
}
