import assert from 'node:assert/strict';
import { emptyBoot } from '../../src/prepare/boot.js';
import { newReport } from '../../src/prepare/report.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';

describe('prepare step boot', () => {
  it('empties /boot, keeping its directory metadata and the paths it is told to keep', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [{ path: 'boot', type: 'dir', mode: 0o700 }, ['boot/vmlinuz-abc', 'K'], ['boot/boot.scr', 'S'], 'boot/extlinux/', 'boot/Image -> vmlinuz-abc']);
    const report = newReport();
    emptyBoot(tree, { keep: ['boot/vmlinuz-abc'] }, report);
    assert.deepEqual([...describeTree(ctx, tree)], [
      ['boot', 'dir 0700'],
      ['boot/vmlinuz-abc', 'file 0644 K'],
    ]);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0], /^\/boot: dropped 1 file \(boot\/boot\.scr\); ostree deploys only/);
  });

  it('creates /boot when missing (the mount point of the device boot directory), and strict refuses drops', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['usr/']);
    emptyBoot(tree, {}, newReport());
    assert.equal(describeTree(ctx, tree).get('boot'), 'dir 0755');
    const full = modelTree(ctx, [['boot/uEnv.txt', 'x']]);
    assert.throws(() => emptyBoot(full, { strict: true }, newReport()), /prepare boot: \/boot: dropped 1 file \(boot\/uEnv.txt\).*--strict/);
  });
});
