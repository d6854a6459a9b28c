import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelOptions } from '../../src/prepare/kernel-options.js';
import { placeKernel } from '../../src/prepare/kernel.js';
import { PrepareError } from '../../src/prepare/prepare-error.js';
import { newReport, type PrepareReport } from '../../src/prepare/report.js';
import type { Tree } from '../../src/tree/tree.js';
import { describeTree, memoryContext, modelTree, type MemoryContext, type ModelSpec } from '../helpers/prepare-model.js';
import { makeTempDir } from '../helpers/tmp.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const KVER = '5.15.0-yocto-standard';

/** A Yocto rootfs with kernel-image and kernel-devicetree installed in /boot. */
const YOCTO_BOOT: ModelSpec[] = [
  `boot/zImage -> zImage-${KVER}`,
  [`boot/zImage-${KVER}`, 'KERNEL'],
  ['boot/imx6q-sabresd.dtb', 'DTB-Q'],
  ['boot/imx6dl-sabresd.dtb', 'DTB-DL'],
  `usr/lib/modules/${KVER}/kernel/`,
];

interface Run {
  ctx: MemoryContext;
  tree: Tree;
  report: PrepareReport;
  metadata: Record<string, string | boolean>;
  files: Map<string, string>;
}

function prepare(specs: ModelSpec[], opts: KernelOptions): Run {
  const ctx = memoryContext();
  const tree = modelTree(ctx, specs);
  const report = newReport();
  const metadata = placeKernel(tree, ctx, opts, report);
  return { ctx, tree, report, metadata, files: describeTree(ctx, tree) };
}

describe('prepare step kernel', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let initramfs: string;
  before(() => {
    tmp = makeTempDir();
    initramfs = join(tmp.path, 'initramfs-ostree-image-imx6qsabresd.cpio.gz');
    writeFileSync(initramfs, 'INITRD');
  });
  after(() => tmp.remove());

  it('modern: moves the kernel the KERNEL_IMAGETYPE symlink names to usr/lib/modules/<kver>/vmlinuz, a regular file', () => {
    const r = prepare(YOCTO_BOOT, { kernel: { names: ['zImage'] }, initramfs: { file: initramfs }, devicetrees: [{ names: ['imx6q-sabresd.dtb'] }] });
    const dir = `usr/lib/modules/${KVER}`;
    assert.equal(r.files.get(`${dir}/vmlinuz`), 'file 0644 KERNEL');
    assert.equal(r.files.get(`${dir}/initramfs.img`), 'file 0644 INITRD');
    assert.equal(r.files.get(`${dir}/devicetree`), 'file 0644 DTB-Q');
    assert.equal(r.files.get(`boot/zImage-${KVER}`), undefined);
    assert.equal(r.files.get('boot/zImage'), undefined);
    assert.deepEqual(r.metadata, { 'ostree.bootable': true, 'ostree.linux': KVER });
    assert.deepEqual(r.report.kernel, { layout: 'modern', kver: KVER, bootcsum: sha('KERNELINITRDDTB-Q'), kernel: `${dir}/vmlinuz`, initramfs: `${dir}/initramfs.img`, devicetree: `${dir}/devicetree` });
    assert.deepEqual(r.report.warnings, []);
  });

  it('legacy: boot/vmlinuz-<bootcsum>, initramfs-<bootcsum>, devicetree-<bootcsum>, the bootcsum of the modern layout', () => {
    const r = prepare(YOCTO_BOOT, { kernel: { names: ['zImage'] }, initramfs: { file: initramfs }, devicetrees: [{ names: ['imx6q-sabresd.dtb'] }], layout: 'legacy' });
    const c = sha('KERNELINITRDDTB-Q');
    assert.equal(r.files.get(`boot/vmlinuz-${c}`), 'file 0644 KERNEL');
    assert.equal(r.files.get(`boot/initramfs-${c}`), 'file 0644 INITRD');
    assert.equal(r.files.get(`boot/devicetree-${c}`), 'file 0644 DTB-Q');
    assert.equal([...r.files.keys()].filter((p) => p.endsWith('vmlinuz')).length, 0);
    assert.deepEqual(r.metadata, { 'ostree.bootable': true, 'ostree.linux': KVER });
    assert.equal(r.report.kernel?.bootcsum, c);
  });

  it('several device trees: dtb/ (fdtdir); OSTREE_MULTI_DEVICETREE_SUPPORT=0 adds the first as devicetree, =1 always dtb/', () => {
    const opts: KernelOptions = { kernel: { names: ['zImage'] }, initramfs: { file: initramfs }, devicetrees: [{ names: ['imx6q-sabresd.dtb'] }, { names: ['imx6dl-sabresd.dtb'] }] };
    const dir = `usr/lib/modules/${KVER}`;
    const several = prepare(YOCTO_BOOT, opts);
    assert.deepEqual([...several.files.keys()].filter((p) => p.startsWith(`${dir}/d`)), [`${dir}/dtb`, `${dir}/dtb/imx6dl-sabresd.dtb`, `${dir}/dtb/imx6q-sabresd.dtb`]);
    assert.equal(several.report.kernel?.bootcsum, sha('KERNELINITRD' + 'DTB-DL' + 'DTB-Q'));
    const meta = prepare(YOCTO_BOOT, { ...opts, multiDevicetree: false });
    assert.equal(meta.files.get(`${dir}/devicetree`), 'file 0644 DTB-Q');
    assert.ok(meta.files.get(`${dir}/dtb/imx6dl-sabresd.dtb`));
    assert.equal(meta.report.kernel?.bootcsum, sha('KERNELINITRDDTB-Q'));
    const one = prepare(YOCTO_BOOT, { ...opts, devicetrees: opts.devicetrees!.slice(0, 1), multiDevicetree: true });
    assert.equal(one.report.kernel?.devicetree, `${dir}/dtb`);
  });

  it('legacy with several device trees keeps the first and says so', () => {
    const r = prepare(YOCTO_BOOT, { kernel: { names: ['zImage'] }, devicetrees: [{ names: ['imx6q-sabresd.dtb'] }, { names: ['imx6dl-sabresd.dtb'] }], layout: 'legacy' });
    assert.match(r.report.warnings.join('\n'), /legacy layout carries one device tree .*using boot\/imx6q-sabresd\.dtb, not boot\/imx6dl-sabresd\.dtb/);
  });

  it('finds the kernel without settings (auto-detect), and a duplicate already in usr/lib/modules is the same kernel', () => {
    const r = prepare([...YOCTO_BOOT, [`usr/lib/modules/${KVER}/vmlinuz`, 'KERNEL']], {});
    assert.equal(r.report.kernel?.kernel, `usr/lib/modules/${KVER}/vmlinuz`);
    assert.equal(r.files.get(`boot/zImage-${KVER}`), undefined);
    assert.deepEqual(r.report.warnings.filter((w) => !w.startsWith('no initramfs')), []);
  });

  it('two different kernels and nothing to choose: an error listing both; KERNEL_VERSION chooses', () => {
    const specs: ModelSpec[] = [['boot/zImage-5.10', 'OLD'], ['boot/zImage-5.15', 'NEW'], 'usr/lib/modules/5.10/', 'usr/lib/modules/5.15/'];
    assert.throws(
      () => prepare(specs, { kernel: { names: ['zImage'] } }),
      (e: Error) => e instanceof PrepareError && /boot\/zImage-5\.10, boot\/zImage-5\.15/.test(e.message) && !e.message.includes('\n'),
    );
    const r = prepare(specs, { kernel: { names: ['zImage'] }, version: '5.15' });
    assert.equal(r.files.get('usr/lib/modules/5.15/vmlinuz'), 'file 0644 NEW');
    assert.equal(r.report.kernel?.kver, '5.15');
  });

  it('a named kernel that is nowhere is an error naming where it looked', () => {
    assert.throws(() => prepare(YOCTO_BOOT, { kernel: { names: ['Image'] }, deployDir: tmp.path }), /prepare kernel: no kernel: looked for boot\/Image, boot\/Image-\*, .*\/Image/);
  });

  it('no kernel anywhere and none named: a warning, and the commit is not marked bootable', () => {
    const r = prepare(['usr/bin/'], {});
    assert.deepEqual(r.metadata, {});
    assert.match(r.report.warnings[0], /no kernel in the tree and none named/);
  });

  it('takes kernel, initramfs and device trees from DEPLOY_DIR_IMAGE when the tree has none', () => {
    writeFileSync(join(tmp.path, 'zImage'), 'DEPLOYED');
    writeFileSync(join(tmp.path, 'board.dtb'), 'D');
    const r = prepare(['usr/lib/modules/6.1/'], {
      kernel: { names: ['zImage'] },
      initramfs: { names: ['initramfs-ostree-image', 'initramfs-ostree-image-imx6qsabresd.cpio.gz'], optional: true },
      devicetrees: [{ names: ['freescale/board.dtb'] }],
      deployDir: tmp.path,
    });
    assert.equal(r.files.get('usr/lib/modules/6.1/vmlinuz'), 'file 0644 DEPLOYED');
    assert.equal(r.files.get('usr/lib/modules/6.1/initramfs.img'), 'file 0644 INITRD');
    assert.equal(r.files.get('usr/lib/modules/6.1/devicetree'), 'file 0644 D');
  });

  it('an optional initramfs that is missing is a warning; a missing --initramfs file an error', () => {
    const r = prepare(YOCTO_BOOT, { kernel: { names: ['zImage'] }, initramfs: { names: ['initramfs-ostree-image'], optional: true }, deployDir: tmp.path });
    assert.match(r.report.warnings.join('\n'), /no initramfs found \(looked for boot\/initramfs-ostree-image, /);
    assert.throws(() => prepare(YOCTO_BOOT, { initramfs: { file: join(tmp.path, 'nope.cpio.gz') } }), /prepare kernel: .*nope\.cpio\.gz: no such file/);
  });

  it('a FIT image gets the empty initramfs.img placeholder (meta-updater: no init= karg)', () => {
    const r = prepare([['boot/fitImage-5.15', 'FIT'], 'boot/fitImage -> fitImage-5.15'], { kernel: { names: ['fitImage'] } });
    assert.equal(r.files.get('usr/lib/modules/5.15/initramfs.img'), 'file 0644 ');
    assert.equal(r.report.kernel?.bootcsum, sha('FIT'));
  });

  it("keeps meta-updater's ostree-kernel package layout as it is (and converts it to legacy)", () => {
    const dir = 'usr/lib/modules/6.6';
    const specs: ModelSpec[] = [[`${dir}/vmlinuz`, 'K'], [`${dir}/initramfs.img`, 'I'], [`${dir}/devicetree`, 'D'], [`${dir}/dtb/a.dtb`, 'D'], [`${dir}/dtb/b.dtb`, 'E']];
    const modern = prepare(specs, { kernel: { names: ['zImage'] } });
    assert.deepEqual(modern.report.kernel, { layout: 'modern', kver: '6.6', bootcsum: sha('KID'), kernel: `${dir}/vmlinuz`, initramfs: `${dir}/initramfs.img`, devicetree: `${dir}/devicetree` });
    assert.ok(modern.files.get(`${dir}/dtb/b.dtb`));
    assert.deepEqual(modern.report.warnings, []);
    const legacy = prepare(specs, { layout: 'legacy' });
    const c = sha('KID');
    assert.equal(legacy.report.kernel?.kernel, `boot/vmlinuz-${c}`);
    assert.equal(legacy.files.get(`${dir}/initramfs.img`), undefined);
  });

  it('the kernel version: KERNEL_VERSION, else the only usr/lib/modules/<kver>, else the file name; several and no choice is an error', () => {
    assert.equal(prepare([['boot/zImage-9.9', 'K']], {}).report.kernel?.kver, '9.9');
    assert.equal(prepare([['boot/zImage', 'K'], 'usr/lib/modules/6.1/'], {}).report.kernel?.kver, '6.1');
    assert.throws(() => prepare([['boot/zImage', 'K'], 'usr/lib/modules/6.1/', 'usr/lib/modules/6.2/'], {}), /holds several kernel versions \(6\.1, 6\.2\); set KERNEL_VERSION/);
    assert.throws(() => prepare([['boot/zImage', 'K']], {}), /cannot tell the kernel version/);
    const legacy = prepare([['boot/zImage', 'K']], { layout: 'legacy' });
    assert.deepEqual(legacy.metadata, { 'ostree.bootable': true });
    const mismatch = prepare([['boot/zImage', 'K'], 'usr/lib/modules/6.1/'], { version: '6.2' });
    assert.match(mismatch.report.warnings.join('\n'), /kernel version 6\.2 has no modules in the tree/);
  });

  it('a kernel file on the host (--kernel) replaces the one in the tree', () => {
    const file = join(tmp.path, 'zImage-custom');
    writeFileSync(file, 'CUSTOM');
    const r = prepare([...YOCTO_BOOT, [`usr/lib/modules/${KVER}/vmlinuz`, 'OLD']], { kernel: { file } });
    assert.equal(r.files.get(`usr/lib/modules/${KVER}/vmlinuz`), 'file 0644 CUSTOM');
  });

  it('removes stale kernels ostree could take instead, and says so', () => {
    const stale = 'd'.repeat(64);
    const r = prepare([...YOCTO_BOOT, [`boot/vmlinuz-${stale}`, 'STALE'], [`boot/initramfs-${stale}`, 'S']], { kernel: { names: ['zImage'] } });
    assert.equal(r.files.get(`boot/vmlinuz-${stale}`), undefined);
    assert.match(r.report.warnings.join('\n'), /removed boot\/vmlinuz-d{64}/);
    assert.equal(r.report.kernel?.layout, 'modern');
  });
});
