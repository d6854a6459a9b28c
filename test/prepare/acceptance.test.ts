// Issue 4's acceptance, with the real ostree as the judge: a Yocto-like rootfs
// tarball committed with preparation deploys on a scratch U-Boot sysroot; the BLS
// entry and uEnv.txt point at our kernel, initramfs and device tree; ostree's
// bootcsum is ours; the committed layout is meta-updater's; bad input fails in one
// line and leaves the repository as it was.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTree, packTar, type FixtureEntry } from '../helpers/fixtures.js';
import { cli, mustRun, ostree } from '../helpers/run.js';
import { deployFrom, makeUbootSysroot, readBootConfig, removeSysroot } from '../helpers/sysroot.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';
import {
  BRANCHNAME,
  META_UPDATER_ABSENT,
  META_UPDATER_EMPTY_DIRS,
  META_UPDATER_SYMLINKS,
  META_UPDATER_TMPFILES,
  META_UPDATER_VAR_CHILDREN,
  ROOTDIRS_TMPFILES_CONF,
} from './meta-updater-layout.js';

const KVER = '5.15.71-yocto-standard';
const OS = 'poky';
const BRANCH = 'imx6qsabresd';
const KERNEL = randomBytes(300_000);
const DTB_Q = Buffer.from('imx6q-sabresd device tree');
const DTB_DL = Buffer.from('imx6dl-sabresd device tree');
const DTB_Z = Buffer.from('Zeta board: sorts first in strcmp order');
const INITRAMFS = Buffer.from('initramfs-ostree-image cpio');
const sha256 = (...parts: Buffer[]): string => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

/** What a Yocto image with kernel-image and kernel-devicetree in IMAGE_INSTALL looks like. */
function yoctoRootfs(): FixtureEntry[] {
  return [
    { path: 'bin', type: 'symlink', target: 'usr/bin' },
    { path: 'boot', type: 'dir' },
    { path: `boot/zImage-${KVER}`, type: 'file', content: KERNEL },
    { path: 'boot/zImage', type: 'symlink', target: `zImage-${KVER}` },
    { path: 'boot/imx6q-sabresd.dtb', type: 'file', content: DTB_Q },
    { path: 'boot/imx6dl-sabresd.dtb', type: 'file', content: DTB_DL },
    { path: 'boot/Zeta.dtb', type: 'file', content: DTB_Z },
    { path: 'dev', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/home/root:/bin/sh\n' },
    { path: 'etc/fstab', type: 'file', content: '/dev/root / auto defaults 1 1\n' },
    { path: 'etc/hostname', type: 'file', content: 'imx6qsabresd\n' },
    { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    { path: 'home/root/.profile', type: 'file', content: 'export PS1=x\n' },
    { path: 'mnt', type: 'dir' },
    { path: 'proc', type: 'dir' },
    { path: 'run', type: 'dir' },
    { path: 'sys', type: 'dir' },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'usr/bin/busybox', type: 'file', content: 'busybox', mode: 0o755 },
    { path: 'usr/lib/os-release', type: 'file', content: 'ID=poky\nPRETTY_NAME="Poky (Yocto Project Reference Distro) 4.0"\n' },
    { path: 'usr/lib/systemd/systemd', type: 'file', content: 'systemd', mode: 0o755 },
    { path: 'usr/lib/tmpfiles.d/var.conf', type: 'file', content: 'q /var 0755 - - -\nd /var/log 0755 - - -\n' },
    { path: `usr/lib/modules/${KVER}/kernel/drivers/net/fec.ko`, type: 'file', content: 'module' },
    { path: 'usr/local/bin', type: 'dir' },
    { path: 'var/lib/misc/random-seed', type: 'file', content: 'seed' },
    { path: 'var/log', type: 'dir' },
    { path: 'var/spool/cron', type: 'dir', mode: 0o1730 },
    { path: 'var/local', type: 'dir', mode: 0o2775, gid: 50 },
    { path: 'var/volatile', type: 'dir' },
    { path: 'var/tmp', type: 'symlink', target: 'volatile/tmp' },
  ];
}

/** Every file and ref of the repository with its size: equal before and after a failure. */
async function repoState(repo: string): Promise<string> {
  return mustRun('find', [repo, '-path', `${repo}/tmp`, '-prune', '-o', '-printf', '%P %s\n']).then((s) => s.split('\n').sort().join('\n'));
}

describe('prepare: acceptance with real ostree', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let tar: string;
  let initramfs: string;
  let repo: string;

  before(async () => {
    tmp = makeTempDir();
    await buildTree(join(tmp.path, 'rootfs'), yoctoRootfs());
    tar = await packTar(join(tmp.path, 'rootfs'), join(tmp.path, 'rootfs.tar'));
    initramfs = join(tmp.path, `initramfs-ostree-image-${BRANCH}.cpio.gz`);
    writeFileSync(initramfs, INITRAMFS);
    repo = join(tmp.path, 'repo');
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
  });
  after(() => tmp.remove());

  async function commit(args: string[]): Promise<{ commit: string; kernel: { bootcsum: string; kver?: string } | null; warnings: string[] }> {
    const r = await cli(['commit', '--repo', repo, '--branch', BRANCH, '--rootfs', tar, '--timestamp', '1700000000', '--json', ...args]);
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  /** Deploys the branch on a fresh U-Boot sysroot; returns what the bootloader sees, file contents resolved. */
  async function deploy(name: string): Promise<{ sysroot: string; bls: Record<string, string>; uenv: Record<string, string>; read(blsPath: string): Buffer }> {
    const sysroot = join(tmp.path, name);
    await makeUbootSysroot(sysroot, OS);
    await deployFrom(sysroot, OS, repo, BRANCH, ['root=LABEL=otaroot', 'rootfstype=ext4']);
    return { sysroot, ...readBootConfig(sysroot), read: (p) => readFileSync(join(sysroot, 'boot', p)) };
  }

  for (const layout of ['modern', 'legacy'] as const) {
    it(`${layout} layout: ostree admin deploy installs our kernel, initramfs and dtb with our bootcsum`, async () => {
      const result = await commit(['--kernel-layout', layout, '--initramfs', initramfs, '--devicetree', 'imx6q-sabresd.dtb']);
      const bootcsum = sha256(KERNEL, INITRAMFS, DTB_Q);
      assert.equal(result.kernel?.bootcsum, bootcsum);
      assert.equal(await ostree(['show', `--repo=${repo}`, '--print-metadata-key=ostree.bootable', BRANCH]), 'true');
      assert.equal(await ostree(['show', `--repo=${repo}`, '--print-metadata-key=ostree.linux', BRANCH]), `'${KVER}'`);

      const d = await deploy(`sysroot-${layout}`);
      try {
        // ostree names the installed files after the kver (modern) or the legacy name without the csum.
        const names = layout === 'modern' ? [`vmlinuz-${KVER}`, `initramfs-${KVER}.img`, `devicetree-${KVER}`] : ['vmlinuz', 'initramfs', 'devicetree'];
        const dir = `/ostree/${OS}-${bootcsum}`;
        assert.equal(d.bls.linux, `${dir}/${names[0]}`);
        assert.equal(d.bls.initrd, `${dir}/${names[1]}`);
        assert.equal(d.bls.devicetree, `${dir}/${names[2]}`);
        assert.ok(d.read(d.bls.linux).equals(KERNEL) && d.read(d.bls.initrd).equals(INITRAMFS) && d.read(d.bls.devicetree).equals(DTB_Q));
        assert.equal(d.uenv.kernel_image, `/boot${d.bls.linux}`);
        assert.equal(d.uenv.ramdisk_image, `/boot${d.bls.initrd}`);
        assert.equal(d.uenv.fdt_file, `/boot${d.bls.devicetree}`);
        assert.match(d.uenv.bootargs, new RegExp(`^root=LABEL=otaroot rootfstype=ext4 ostree=/ostree/boot\\.1/${OS}/${bootcsum}/0$`));
        const status = await ostree(['admin', `--sysroot=${d.sysroot}`, 'status']);
        assert.match(status, new RegExp(`^\\s+${OS} ${result.commit}\\.0\n\\s+origin refspec: ${OS}:${BRANCH}$`, 'm'));
      } finally {
        await removeSysroot(d.sysroot);
      }
    });
  }

  it('several device trees: fdtdir in the BLS entry and uEnv.txt, ostree hashes them in our (strcmp) order', async () => {
    const result = await commit(['--initramfs', initramfs, '--devicetree', 'imx6q-sabresd.dtb', '--devicetree', 'imx6dl-sabresd.dtb', '--devicetree', 'Zeta.dtb']);
    const bootcsum = sha256(KERNEL, INITRAMFS, DTB_Z, DTB_DL, DTB_Q);
    assert.equal(result.kernel?.bootcsum, bootcsum);
    const d = await deploy('sysroot-fdtdir');
    try {
      assert.equal(d.bls.fdtdir, `/ostree/${OS}-${bootcsum}/dtb`);
      assert.equal(d.uenv.fdtdir, `/boot${d.bls.fdtdir}`);
      assert.ok(d.read(`${d.bls.fdtdir}/Zeta.dtb`).equals(DTB_Z));
    } finally {
      await removeSysroot(d.sysroot);
    }
  });

  it("settings drive it as in a meta-updater build (KERNEL_IMAGETYPE, OSTREE_DEVICETREE, DEPLOY_DIR_IMAGE's initramfs)", async () => {
    const conf = join(tmp.path, 'site.conf');
    writeFileSync(
      conf,
      [
        `MACHINE = "${BRANCH}"`,
        `DEPLOY_DIR_IMAGE = "${tmp.path}"`,
        'KERNEL_IMAGETYPE = "zImage"',
        'KERNEL_DEVICETREE = "imx6q-sabresd.dtb imx6dl-sabresd.dtb"',
        'OSTREE_DEPLOY_DEVICETREE = "1"',
        'INITRAMFS_FSTYPES = "cpio.gz"',
        '',
      ].join('\n'),
    );
    const result = await commit(['--conf', conf]);
    // OSTREE_MULTI_DEVICETREE_SUPPORT = 0 (meta-updater's default): the first is also `devicetree`.
    assert.equal(result.kernel?.bootcsum, sha256(KERNEL, INITRAMFS, DTB_Q));
    const d = await deploy('sysroot-settings');
    try {
      assert.equal(d.bls.devicetree, `/ostree/${OS}-${result.kernel?.bootcsum}/devicetree-${KVER}`);
    } finally {
      await removeSysroot(d.sysroot);
    }
  });

  it("the committed tree has meta-updater's layout: top level, usr/etc, var, symlinks, tmpfiles", async () => {
    const result = await commit(['--initramfs', initramfs]);
    const checkout = join(tmp.path, 'checkout');
    await ostree([`--repo=${repo}`, 'checkout', result.commit, checkout]);
    const tree = await snapshotTree(checkout);
    for (const [path, target] of Object.entries(META_UPDATER_SYMLINKS)) assert.deepEqual([path, tree.get(path)?.target], [path, target]);
    for (const dir of META_UPDATER_EMPTY_DIRS) assert.deepEqual([...tree.keys()].filter((p) => p.startsWith(`${dir}/`)), [], dir);
    for (const path of META_UPDATER_ABSENT) assert.equal(tree.get(path), undefined, path);
    assert.deepEqual([...tree.keys()].filter((p) => /^var\/[^/]+$/.test(p)), META_UPDATER_VAR_CHILDREN.map((c) => `var/${c}`));
    assert.equal(tree.get('var/local')?.mode, '2775');
    assert.equal(tree.get('usr/etc/passwd')?.type, 'file');
    assert.equal(tree.get('usr/etc/fstab')?.type, 'file');
    assert.equal(readFileSync(join(checkout, BRANCHNAME), 'utf8'), BRANCH);
    assert.deepEqual(readFileSync(join(checkout, ROOTDIRS_TMPFILES_CONF), 'utf8').trimEnd().split('\n'), META_UPDATER_TMPFILES);
    // What /var held is recreated, except what the image's own tmpfiles.d declares (/var/log).
    assert.deepEqual(readFileSync(join(checkout, 'usr/lib/tmpfiles.d/00ostree-var.conf'), 'utf8').trimEnd().split('\n'), [
      'd /var/lib 0755 root root -',
      'd /var/lib/misc 0755 root root -',
      'd /var/spool 0755 root root -',
      'd /var/spool/cron 1730 root root -',
      'L /var/tmp - - - - volatile/tmp',
      'd /var/volatile 0755 root root -',
    ]);
    assert.match(result.warnings.join('\n'), /\/var: dropped 1 file \(var\/lib\/misc\/random-seed\)/);
    assert.match(result.warnings.join('\n'), /\/home: dropped 1 file \(home\/root\/\.profile\)/);
    await mustRun('rm', ['-rf', checkout]);
  });

  it('--no-prepare commits the tarball as it is (no metadata, etc/ and /boot untouched)', async () => {
    const result = await commit(['--no-prepare']);
    assert.equal(result.kernel, undefined);
    const top = await ostree([`--repo=${repo}`, 'ls', result.commit, '/']);
    assert.match(top, /\/etc\n/);
    assert.match(await ostree([`--repo=${repo}`, 'ls', result.commit, '/boot']), /zImage -> zImage-/);
    const meta = await mustRun('ostree', ['show', `--repo=${repo}`, '--print-metadata-key=ostree.bootable', result.commit]).catch((e: Error) => e.message);
    assert.match(meta, /No such metadata key/);
  });

  describe('bad input: one clear line, non-zero exit, repository unchanged', () => {
    const cases: { name: string; entries?: FixtureEntry[]; args?: string[]; expect: RegExp }[] = [
      {
        name: 'etc/ and usr/etc/ both with content',
        entries: [{ path: 'etc/passwd', type: 'file', content: 'x' }, { path: 'usr/etc/fstab', type: 'file', content: 'y' }],
        expect: /^yocto-ostree: prepare etc-to-usr-etc: both etc\/ and usr\/etc\/ have content \(etc\/passwd, usr\/etc\/fstab\)/,
      },
      {
        name: 'a kernel named by the settings that is not there',
        entries: [{ path: 'usr/lib/modules/6.1/modules.dep', type: 'file' }],
        args: ['--set', 'KERNEL_IMAGETYPE=Image'],
        expect: /^yocto-ostree: prepare kernel: no kernel: looked for boot\/Image, boot\/Image-\*/,
      },
      {
        name: 'two kernels and no choice',
        entries: [{ path: 'boot/zImage-5.10', type: 'file', content: 'A' }, { path: 'boot/zImage-5.15', type: 'file', content: 'B' }],
        expect: /^yocto-ostree: prepare kernel: several kernels and nothing says which one boots: boot\/zImage-5\.10, boot\/zImage-5\.15/,
      },
      {
        name: 'several kernel versions in usr/lib/modules and no KERNEL_VERSION',
        entries: [{ path: 'boot/zImage', type: 'file', content: 'K' }, { path: 'usr/lib/modules/6.1', type: 'dir' }, { path: 'usr/lib/modules/6.2', type: 'dir' }],
        expect: /^yocto-ostree: prepare kernel: usr\/lib\/modules holds several kernel versions \(6\.1, 6\.2\)/,
      },
      {
        name: 'data in /var with --strict',
        entries: [{ path: 'boot/zImage-6.1', type: 'file', content: 'K' }, { path: 'var/lib/nfs/state', type: 'file', content: 'x' }],
        args: ['--strict'],
        expect: /^yocto-ostree: prepare var: \/var: dropped 1 file \(var\/lib\/nfs\/state\).*--strict/,
      },
      { name: 'a missing --initramfs file', args: ['--initramfs', '/nonexistent/initramfs.cpio.gz'], expect: /^yocto-ostree: prepare kernel: \/nonexistent\/initramfs\.cpio\.gz: no such file/ },
      { name: 'a missing --manifest file', args: ['--manifest', '/nonexistent/image.manifest'], expect: /^yocto-ostree: prepare manifest: \/nonexistent\/image\.manifest: no such file/ },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        let rootfs = tar;
        if (c.entries) {
          const dir = join(tmp.path, `bad-${cases.indexOf(c)}`);
          await buildTree(dir, c.entries);
          rootfs = await packTar(dir, `${dir}.tar`);
        }
        const before = await repoState(repo);
        const r = await cli(['commit', '--repo', repo, '--branch', BRANCH, '--rootfs', rootfs, ...(c.args ?? [])]);
        assert.notEqual(r.exitCode, 0);
        assert.match(r.stderr, c.expect);
        assert.equal(r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:')).length, 1, r.stderr);
        assert.equal(await repoState(repo), before);
      });
    }
  });
});
