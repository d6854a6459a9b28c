// A bootable tree already laid out the modern ostree way (usr/lib/modules/<kver>/
// vmlinuz, initramfs.img, dtb/; usr/etc; empty /var but var/local), committed with
// `yocto-ostree commit --no-prepare`. It carries what the image writers must keep:
// xattrs mke2fs keeps (security.capability) and drops (user.*), owners above 65535,
// setuid/setgid, hardlinks, symlinks, long and non-ASCII names, a file with holes.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { buildTree, packTar, type FixtureEntry } from '../helpers/fixtures.js';
import { cli } from '../helpers/run.js';

export const OS = 'fixos';
export const BRANCH = 'fixos/test';
export const KVER = '6.1.0-fixture';
export const COMMIT_TIME = 1700000000;
const longDir = `usr/share/${'long-directory-name-'.repeat(4)}`;

/** The bytes that differ between the first and the second commit. */
export interface FixtureVariant {
  kernel: Buffer;
  motd: string;
}

export function fixtureEntries(v: FixtureVariant): FixtureEntry[] {
  const mod = `usr/lib/modules/${KVER}`;
  return [
    { path: 'bin', type: 'symlink', target: 'usr/bin' },
    { path: 'lib', type: 'symlink', target: 'usr/lib' },
    { path: 'boot', type: 'dir' },
    { path: 'dev', type: 'dir' },
    { path: 'proc', type: 'dir' },
    { path: 'run', type: 'dir' },
    { path: 'sys', type: 'dir' },
    { path: 'sysroot', type: 'dir' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'ostree', type: 'symlink', target: 'sysroot/ostree' },
    { path: 'home', type: 'symlink', target: 'var/rootdirs/home' },
    { path: 'usr/bin/busybox', type: 'file', content: randomBytes(40000), mode: 0o755 },
    { path: 'usr/bin/sh', type: 'hardlink', target: 'usr/bin/busybox' },
    { path: 'usr/bin/su', type: 'file', content: '#!/bin/sh\necho su\n', mode: 0o4755 },
    { path: 'usr/bin/ping', type: 'file', content: 'ping', mode: 0o755, xattrs: { 'security.capability': '0x0100000200200000000000000000000000000000' } },
    { path: 'usr/bin/tagged', type: 'file', content: 'tagged', xattrs: { 'user.origin': 'fixture', 'user.bin': '0x00ff80fe' } },
    { path: 'usr/share/big-owner', type: 'file', content: 'owned by a large uid\n', uid: 200000, gid: 200001 },
    { path: 'usr/share/holes', type: 'file', content: Buffer.concat([Buffer.alloc(65536), Buffer.from('end')]) },
    { path: 'usr/share/empty', type: 'file', content: '' },
    { path: 'usr/share/setgid-dir', type: 'dir', mode: 0o2775, gid: 50 },
    { path: 'usr/share/üñíçødé.txt', type: 'file', content: 'utf-8 name\n' },
    { path: `${longDir}/${'a-long-file-name-'.repeat(4)}.txt`, type: 'file', content: 'long path\n' },
    { path: 'usr/share/long-link', type: 'symlink', target: `../../${'x'.repeat(120)}` },
    { path: 'usr/share/motd', type: 'file', content: v.motd },
    { path: 'usr/lib/os-release', type: 'file', content: 'ID=fixos\nPRETTY_NAME="Fixture OS"\n' },
    { path: `${mod}/vmlinuz`, type: 'file', content: v.kernel },
    { path: `${mod}/initramfs.img`, type: 'file', content: randomBytes(20000) },
    { path: `${mod}/dtb/board.dtb`, type: 'file', content: 'DTB-board' },
    { path: `${mod}/dtb/vendor/other.dtb`, type: 'file', content: 'DTB-other' },
    { path: 'usr/etc/hostname', type: 'file', content: 'fixture\n' },
    { path: 'usr/etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    { path: 'usr/etc/shadow', type: 'file', content: 'root:*:19000::::::\n', mode: 0o640, gid: 42 },
    { path: 'usr/etc/ssh', type: 'dir', mode: 0o700 },
    { path: 'usr/etc/ssh/key', type: 'file', content: 'secret', mode: 0o600, xattrs: { 'user.kind': 'key' } },
    { path: 'var/local/README', type: 'file', content: 'local state\n' },
  ];
}

export interface CommittedFixture {
  root: string;
  tar: string;
  commit: string;
}

/** Builds, packs and commits `entries` into `repo` (created when missing) on `branch`. */
export async function commitEntries(dir: string, repo: string, name: string, entries: FixtureEntry[], version: string, branch = BRANCH): Promise<CommittedFixture> {
  const root = join(dir, `${name}-root`);
  await buildTree(root, entries);
  const tar = await packTar(root, join(dir, `${name}.tar`));
  await cli(['init', '--repo', repo]);
  const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', branch, '--rootfs', tar, '--timestamp', String(COMMIT_TIME), '--version', version, '--subject', name]);
  if (r.exitCode !== 0) throw new Error(`commit failed: ${r.stderr}`);
  return { root, tar, commit: r.stdout.trim() };
}

export function commitFixture(dir: string, repo: string, name: string, v: FixtureVariant, version: string): Promise<CommittedFixture> {
  return commitEntries(dir, repo, name, fixtureEntries(v), version);
}

export const FIRST: FixtureVariant = { kernel: randomBytes(300000), motd: 'first\n' };
export const SECOND: FixtureVariant = { kernel: randomBytes(300000), motd: 'second\n' };

/** `yocto-ostree otaimg` with the fixture's names (--ref BRANCH unless `extra` has one). */
export function otaimg(repo: string, output: string, extra: string[] = [], env: Record<string, string> = {}): ReturnType<typeof cli> {
  const ref = extra.includes('--ref') ? [] : ['--ref', BRANCH];
  return cli(['otaimg', '--repo', repo, '--os', OS, ...ref, '--output', output, '--json', ...extra], { env: { SOURCE_DATE_EPOCH: String(COMMIT_TIME), ...env } });
}
