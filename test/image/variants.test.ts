// The less common trees ostree admin deploy handles differently, each compared with
// real ostree entry by entry (through --format tar, extracted by GNU tar): a single
// devicetree file (fdt_file), no initramfs (init= karg), the deployment's own
// usr/lib/ostree-boot/uEnv.txt (appended), and the legacy boot/vmlinuz-<bootcsum>
// layout.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureEntry } from '../helpers/fixtures.js';
import { removeSysroot } from '../helpers/sysroot.js';
import { mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { commitEntries, FIRST, fixtureEntries, KVER, OS, otaimg } from '../sysroot/sysroot-fixture.js';
import { diffSnapshots, snapshotDirectory } from './image-snapshot.js';
import { asImageTimes, referenceSysroot } from './reference-sysroot.js';

const MOD = `usr/lib/modules/${KVER}`;

function devicetreeNoInitramfs(): FixtureEntry[] {
  return [
    ...fixtureEntries(FIRST)
      .filter((e) => !e.path.startsWith(`${MOD}/dtb`) && e.path !== `${MOD}/initramfs.img`),
    { path: `${MOD}/devicetree`, type: 'file', content: 'DTB-single' },
    { path: 'usr/lib/ostree-boot/uEnv.txt', type: 'file', content: 'bootdelay=0\nfdt_addr=0x83000000\n' },
  ];
}

function legacyLayout(): FixtureEntry[] {
  const kernel = randomBytes(1000);
  const initramfs = randomBytes(500);
  const csum = createHash('sha256').update(kernel).update(initramfs).digest('hex');
  return [
    ...fixtureEntries(FIRST).filter((e) => !e.path.startsWith('usr/lib/modules')),
    { path: `boot/vmlinuz-${csum}`, type: 'file', content: kernel },
    { path: `boot/initramfs-${csum}`, type: 'file', content: initramfs },
  ];
}

describe('otaimg on tree variants, against real ostree admin', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const refs: string[] = [];
  after(async () => {
    for (const r of refs) await removeSysroot(r);
    tmp.remove();
  });

  const cases: [string, () => FixtureEntry[], (sysroot: string) => void][] = [
    [
      'devicetree file, no initramfs, own uEnv.txt',
      devicetreeNoInitramfs,
      (root) => {
        const uenv = readFileSync(join(root, 'boot/loader/uEnv.txt'), 'utf8');
        assert.match(uenv, /^fdt_file=\/boot\/ostree\/fixos-[0-9a-f]{64}\/devicetree-6\.1\.0-fixture$/m);
        assert.match(uenv, /^bootargs=.* init=\/ostree\/boot\.1\/fixos\/[0-9a-f]{64}\/0\/usr\/lib\/ostree\/ostree-prepare-root ostree=/m);
        assert.match(uenv, /\nbootdelay=0\nfdt_addr=0x83000000\n\n?$/);
      },
    ],
    [
      'legacy boot/vmlinuz-<bootcsum> layout',
      legacyLayout,
      (root) => assert.match(readFileSync(join(root, 'boot/loader/uEnv.txt'), 'utf8'), /^kernel_image=\/boot\/ostree\/fixos-[0-9a-f]{64}\/vmlinuz\n/),
    ],
  ];

  cases.forEach(([title, entries, check], i) => {
    it(title, async () => {
      const dir = join(tmp.path, `v${i}`);
      mkdirSync(dir);
      const repo = join(dir, 'repo');
      const branch = `fixos/v${i}`;
      const fx = await commitEntries(dir, repo, 'tree', entries(), '1.0', branch);
      const ref = await referenceSysroot(join(dir, 'reference'), repo, fx, branch);
      refs.push(ref);
      const tar = join(dir, 'ota.tar');
      const r = await otaimg(repo, tar, ['--format', 'tar', '--ref', branch]);
      assert.equal(r.exitCode, 0, r.stderr);
      const out = join(dir, 'extract');
      mkdirSync(out);
      await mustRun('tar', ['--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', tar, '-C', out]);
      assert.deepEqual(diffSnapshots(await snapshotDirectory(out), asImageTimes(await snapshotDirectory(ref))), []);
      check(out);
      assert.equal(JSON.parse(r.stdout).osname, OS);
    });
  });
});
