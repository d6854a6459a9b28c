// The reference: meta-updater's IMAGE_CMD:ota around real ostree (meta-updater.md
// §4b) in a directory: init-fs, os-init, U-Boot prepared (loader.0 + uEnv.txt),
// pull-local, refs --create, deploy --karg-append, then its /var steps. Times
// ostree takes from the clock become the image's epoch for comparisons.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeUbootSysroot } from '../helpers/sysroot.js';
import { mustRun, ostree } from '../helpers/run.js';
import { COMMIT_TIME, OS, type CommittedFixture } from '../sysroot/sysroot-fixture.js';
import type { Entry } from './image-snapshot.js';

export const KARGS = ['root=LABEL=otaroot', 'rootfstype=ext4'];

export async function referenceSysroot(s: string, repo: string, fx: CommittedFixture, branch: string): Promise<string> {
  mkdirSync(s);
  await makeUbootSysroot(s, OS);
  await ostree([`--repo=${s}/ostree/repo`, 'pull-local', '--disable-fsync', `--remote=${OS}`, repo, fx.commit]);
  await ostree([`--repo=${s}/ostree/repo`, 'refs', `--create=${OS}:${branch}`, fx.commit]);
  await ostree(['admin', `--sysroot=${s}`, 'deploy', ...KARGS.map((k) => `--karg-append=${k}`), `--os=${OS}`, `${OS}:${branch}`]);
  const v = join(s, 'ostree/deploy', OS, 'var');
  mkdirSync(join(v, 'sota/import'), { recursive: true });
  await mustRun('chmod', ['700', join(v, 'sota')]);
  if (existsSync(join(fx.root, 'var/local'))) cpSync(join(fx.root, 'var/local'), join(v, 'local'), { recursive: true, preserveTimestamps: true });
  mkdirSync(join(v, 'local'), { recursive: true });
  mkdirSync(join(v, 'rootdirs/home'), { recursive: true });
  writeFileSync(join(v, 'sota/import/installed_versions'), `{"${fx.commit}":"${branch}-${fx.commit}"}\n`);
  return s;
}

/** Times ostree takes from the clock are the image's epoch; its fixed 0 stays 0. */
export function asImageTimes(ref: Map<string, Entry>): Map<string, Entry> {
  return new Map([...ref].map(([p, e]) => [p, { ...e, mtime: e.mtime === 0 ? 0 : COMMIT_TIME }]));
}
