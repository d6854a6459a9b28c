import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bootcsum, checksumSuffix } from '../../src/prepare/bootcsum.js';
import { ostreeKernelLayout } from '../../src/prepare/ostree-kernel-layout.js';
import { PrepareError } from '../../src/prepare/prepare-error.js';
import { memoryContext, modelTree } from '../helpers/prepare-model.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('bootcsum and the kernel ostree admin deploy finds', () => {
  it('hashes kernel, initramfs and devicetree concatenated (the ostree-format.md §8.4 vector)', () => {
    const csum = bootcsum([Buffer.from('KERNEL'), Buffer.from('INITRD'), Buffer.from('DTB')]);
    assert.equal(csum, sha('KERNELINITRDDTB'));
    assert.match(csum, /^f168c583/);
  });

  it('modern layout: vmlinuz, initramfs.img, then the dtb/ files in strcmp order at each level', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [
      ['usr/lib/modules/1.0/vmlinuz', 'K'],
      ['usr/lib/modules/1.0/initramfs.img', 'I'],
      ['usr/lib/modules/1.0/dtb/b.dtb', 'B'],
      ['usr/lib/modules/1.0/dtb/A/z.dtb', 'Z'],
      ['usr/lib/modules/1.0/dtb/a.dtb', 'a'],
      'usr/lib/modules/0.9/',
    ]);
    const seen = ostreeKernelLayout(tree, ctx.readFile)!;
    assert.equal(seen.layout, 'modern');
    assert.equal(seen.kver, '1.0');
    assert.equal(seen.devicetree, 'usr/lib/modules/1.0/dtb');
    assert.equal(seen.bootcsum, sha('KI' + 'Z' + 'a' + 'B')); // strcmp: "A" < "a.dtb" < "b.dtb"
  });

  it('a devicetree file wins over dtb/, and initramfs.img over initramfs', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [
      ['usr/lib/modules/1.0/vmlinuz', 'K'],
      ['usr/lib/modules/1.0/initramfs', 'i'],
      ['usr/lib/modules/1.0/initramfs.img', 'I'],
      ['usr/lib/modules/1.0/devicetree', 'D'],
      ['usr/lib/modules/1.0/dtb/a.dtb', 'a'],
    ]);
    assert.equal(ostreeKernelLayout(tree, ctx.readFile)!.bootcsum, sha('KID'));
  });

  it('legacy layout: the suffix is the bootcsum; usr/lib/ostree-boot hides boot/; mismatched suffixes are refused', () => {
    const ctx = memoryContext();
    const c1 = 'a'.repeat(64);
    const tree = modelTree(ctx, [`boot/vmlinuz-${c1}`, `boot/initramfs-${c1}`]);
    const seen = ostreeKernelLayout(tree, ctx.readFile)!;
    assert.deepEqual([seen.layout, seen.bootcsum, seen.initramfs], ['legacy', c1, `boot/initramfs-${c1}`]);
    const hidden = modelTree(ctx, [`boot/vmlinuz-${c1}`, 'usr/lib/ostree-boot/']);
    assert.equal(ostreeKernelLayout(hidden, ctx.readFile), undefined);
    const bad = modelTree(ctx, [`boot/vmlinuz-${c1}`, `boot/devicetree-${'b'.repeat(64)}`]);
    assert.throws(() => ostreeKernelLayout(bad, ctx.readFile), PrepareError);
    assert.equal(checksumSuffix(`vmlinuz-5.10-${c1}`), c1);
    assert.equal(checksumSuffix('vmlinuz-5.10'), undefined);
  });

  it("legacy with an initramfs wins over a modules layout without one (ostree's rpm-ostree rule)", () => {
    const ctx = memoryContext();
    const c1 = 'c'.repeat(64);
    const tree = modelTree(ctx, [['usr/lib/modules/1.0/vmlinuz', 'K'], `boot/vmlinuz-${c1}`, `boot/initramfs-${c1}`]);
    assert.equal(ostreeKernelLayout(tree, ctx.readFile)!.layout, 'legacy');
  });

  it('two kernel versions with a vmlinuz are an error: ostree would take either', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [['usr/lib/modules/1.0/vmlinuz', 'K'], ['usr/lib/modules/2.0/vmlinuz', 'L']]);
    assert.throws(() => ostreeKernelLayout(tree, ctx.readFile), /usr\/lib\/modules\/1\.0\/vmlinuz and usr\/lib\/modules\/2\.0\/vmlinuz/);
  });
});
