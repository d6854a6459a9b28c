// A scratch OSTree sysroot set up the way meta-updater's ota step does for U-Boot
// (ostree-format.md surprise #6: the uEnv.txt and the loader link must exist before
// the first deploy), deploys into it with the real ostree, and reads back what the
// bootloader would see.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun, ostree, run } from './run.js';

export async function makeUbootSysroot(sysroot: string, os: string): Promise<void> {
  await mustRun('mkdir', ['-p', sysroot]);
  await ostree(['admin', 'init-fs', sysroot]);
  await ostree(['admin', `--sysroot=${sysroot}`, 'os-init', os]);
  await ostree(['config', `--repo=${sysroot}/ostree/repo`, 'set', 'sysroot.bootloader', 'uboot']);
  await mustRun('mkdir', ['-p', join(sysroot, 'boot/loader.0')]);
  await mustRun('touch', [join(sysroot, 'boot/loader.0/uEnv.txt')]);
  await mustRun('ln', ['-s', 'loader.0', join(sysroot, 'boot/loader')]);
}

/** pull-local REF from `repo` under remote `os`, then `ostree admin deploy os:REF`. */
export async function deployFrom(sysroot: string, os: string, repo: string, ref: string, kargs: string[] = []): Promise<void> {
  await ostree([`--repo=${sysroot}/ostree/repo`, 'pull-local', '--disable-fsync', `--remote=${os}`, repo, ref]);
  await ostree(['admin', `--sysroot=${sysroot}`, 'deploy', `--os=${os}`, ...kargs.map((k) => `--karg=${k}`), `${os}:${ref}`]);
}

export interface BootConfig {
  /** The default BLS entry's fields. */
  bls: Record<string, string>;
  /** boot/loader/uEnv.txt's variables. */
  uenv: Record<string, string>;
}

function keyValues(text: string, separator: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = separator.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export function readBootConfig(sysroot: string): BootConfig {
  const entries = join(sysroot, 'boot/loader/entries');
  const names = readdirSync(entries).sort();
  // The default entry has the highest version, which sorts last for one-digit versions.
  const bls = keyValues(readFileSync(join(entries, names[names.length - 1]), 'utf8'), /^(\S+) (.*)$/);
  const uenv = keyValues(readFileSync(join(sysroot, 'boot/loader/uEnv.txt'), 'utf8'), /^([^=]+)=(.*)$/);
  return { bls, uenv };
}

/** rm -rf, after clearing the immutable bit ostree admin deploy sets on deployments. */
export async function removeSysroot(sysroot: string): Promise<void> {
  const deployRoot = join(sysroot, 'ostree/deploy');
  if (existsSync(deployRoot)) {
    for (const os of readdirSync(deployRoot)) {
      const deployments = join(deployRoot, os, 'deploy');
      if (!existsSync(deployments)) continue;
      for (const d of readdirSync(deployments)) await run('chattr', ['-i', join(deployments, d)]);
    }
  }
  await mustRun('rm', ['-rf', sysroot]);
}
