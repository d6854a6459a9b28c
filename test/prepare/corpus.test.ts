// Issue 4 acceptance 2: the corpus rootfs tarballs (Debian armhf + i.MX6 kernel and
// device trees, ../shared/corpus/make-corpus.sh) prepared, committed, deployed with
// the real ostree, then upgraded v1 → v2, in both kernel layouts. Large: runs only
// when YOCTO_OSTREE_CORPUS names the corpus directory (e.g. /work/corpus).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ostree } from '../helpers/run.js';
import { deployFrom, makeUbootSysroot, readBootConfig, removeSysroot } from '../helpers/sysroot.js';
import { makeTempDir } from '../helpers/tmp.js';

const CORPUS = process.env.YOCTO_OSTREE_CORPUS;
const OS = 'poky';
const VERSIONS = [
  { tar: 'v1.tar', kver: '6.1.0-47-armmp' },
  { tar: 'v2.tar', kver: '6.1.0-50-armmp' },
];
const DTBS = ['imx6q-sabresd.dtb', 'imx6q-sabrelite.dtb'];

describe('prepare: the corpus tarballs deploy and upgrade with real ostree', function () {
  this.timeout(600_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let initramfs: string;

  before(function () {
    if (!CORPUS || !existsSync(join(CORPUS, 'v1.tar'))) {
      console.log('      (skipped: set YOCTO_OSTREE_CORPUS to the corpus directory holding v1.tar, v2.tar and kernel/)');
      this.skip();
    }
    tmp = makeTempDir();
    initramfs = join(tmp.path, 'initramfs.cpio.gz');
    writeFileSync(initramfs, 'corpus initramfs stand-in');
  });
  after(() => tmp?.remove());

  for (const layout of ['modern', 'legacy'] as const) {
    it(`${layout}: v1 then v2, device nodes skipped, bootcsum as ostree computes it`, async () => {
      const repo = join(tmp.path, `repo-${layout}`);
      const sysroot = join(tmp.path, `sysroot-${layout}`);
      assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
      await makeUbootSysroot(sysroot, OS);
      try {
        const commits: string[] = [];
        for (const v of VERSIONS) {
          const args = ['commit', '--repo', repo, '--branch', 'imx6', '--rootfs', join(CORPUS!, v.tar), '--initramfs', initramfs, '--kernel-layout', layout, '--json'];
          const r = await cli([...args, ...DTBS.flatMap((d) => ['--devicetree', d])]);
          assert.equal(r.exitCode, 0, r.stderr);
          assert.match(r.stderr, /skipped 8 device node\(s\)/);
          const result = JSON.parse(r.stdout);
          commits.push(result.commit);
          const kdir = join(CORPUS!, 'kernel', v.kver);
          const dtbs = layout === 'modern' ? [...DTBS].sort() : [DTBS[0]]; // dtb/ in strcmp order; legacy: one
          const parts = [join(kdir, 'vmlinuz'), initramfs, ...dtbs.map((d) => join(kdir, d))].map((f) => readFileSync(f));
          const bootcsum = createHash('sha256').update(Buffer.concat(parts)).digest('hex');
          assert.equal(result.kernel.bootcsum, bootcsum);
          assert.equal(result.kernel.kver, v.kver);

          await deployFrom(sysroot, OS, repo, 'imx6', ['root=LABEL=otaroot', 'rootfstype=ext4']);
          const { bls, uenv } = readBootConfig(sysroot);
          const kernelName = layout === 'modern' ? `vmlinuz-${v.kver}` : 'vmlinuz';
          assert.equal(bls.linux, `/ostree/${OS}-${bootcsum}/${kernelName}`);
          assert.equal(uenv.kernel_image, `/boot${bls.linux}`);
          assert.equal(uenv.ramdisk_image, `/boot${bls.initrd}`);
          if (layout === 'modern') assert.equal(uenv.fdtdir, `/boot/ostree/${OS}-${bootcsum}/dtb`);
          else assert.equal(uenv.fdt_file, `/boot/ostree/${OS}-${bootcsum}/devicetree`);
          assert.ok(readFileSync(join(sysroot, 'boot', bls.linux)).equals(parts[0]));
        }
        // After the upgrade: v2 is the default, v1 the rollback (uEnv's *2 variables).
        const status = await ostree(['admin', `--sysroot=${sysroot}`, 'status']);
        assert.ok(status.indexOf(commits[1]) < status.indexOf(commits[0]), status);
        const { uenv } = readBootConfig(sysroot);
        assert.match(uenv.kernel_image, new RegExp(layout === 'modern' ? VERSIONS[1].kver : '/vmlinuz$'));
        assert.ok(uenv.kernel_image2 && uenv.kernel_image2 !== uenv.kernel_image);
      } finally {
        await removeSysroot(sysroot);
      }
    });
  }
});
