import assert from 'node:assert/strict';
import { PREPARE_STEPS, prepareTree } from '../../src/prepare/steps.js';
import { describeTree, memoryContext, modelTree, type ModelSpec } from '../helpers/prepare-model.js';

const YOCTO: ModelSpec[] = [
  'boot/zImage -> zImage-6.1',
  ['boot/zImage-6.1', 'K'],
  ['boot/board.dtb', 'D'],
  ['etc/hostname', 'imx6'],
  'home/root/',
  'usr/lib/modules/6.1/',
  'usr/sbin/init -> ../lib/systemd/systemd',
  'usr/lib/systemd/systemd',
  'var/log/',
  'var/local/',
];

describe('prepare: the step list', () => {
  it('runs the steps in a fixed, visible order, each with a purpose', () => {
    assert.deepEqual(
      PREPARE_STEPS.map((s) => s.name),
      ['etc-to-usr-etc', 'kernel', 'boot', 'rootdirs', 'var', 'tmpfiles', 'sota-branch', 'manifest'],
    );
    for (const step of PREPARE_STEPS) assert.ok(step.purpose.length > 10 && !step.purpose.includes('\n'), step.name);
  });

  it('prepares a Yocto-like tree: metadata, kernel, branch, tmpfiles; warnings for dropped data only', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, YOCTO);
    const { metadata, report } = prepareTree(tree, ctx, { branch: 'imx6', kernel: { devicetrees: [{ names: ['board.dtb'] }] } });
    assert.deepEqual(metadata, { 'ostree.bootable': true, 'ostree.linux': '6.1' });
    const files = describeTree(ctx, tree);
    assert.equal(files.get('usr/lib/modules/6.1/vmlinuz'), 'file 0644 K');
    assert.equal(files.get('usr/lib/modules/6.1/devicetree'), 'file 0644 D');
    assert.equal(files.get('usr/etc/hostname'), 'file 0644 imx6');
    assert.equal(files.get('usr/share/sota/branchname'), 'file 0644 imx6');
    assert.equal(files.get('usr/lib/tmpfiles.d/00ostree-var.conf'), 'file 0644 d /var/log 0755 root root -\n');
    assert.ok(files.get('usr/lib/tmpfiles.d/00ostree-tmpfiles.conf'));
    assert.deepEqual([...files.keys()].filter((p) => p.startsWith('boot/') || p.startsWith('var/')), ['var/local']);
    assert.deepEqual(report.warnings, ['no initramfs, and the tree has no usr/lib/ostree/ostree-prepare-root for ostree to boot with init=; the deployment will not find its root']);
  });

  for (const layout of ['modern', 'legacy'] as const) {
    it(`a prepared tree prepares to itself (${layout}): re-committing an ostree checkout changes nothing`, () => {
      const ctx = memoryContext();
      const tree = modelTree(ctx, YOCTO);
      const options = { branch: 'imx6', kernel: { layout, devicetrees: [{ names: ['board.dtb'] }] } };
      const first = prepareTree(tree, ctx, options);
      const once = describeTree(ctx, tree);
      const second = prepareTree(tree, ctx, { ...options, kernel: { layout } });
      assert.deepEqual(describeTree(ctx, tree), once);
      assert.deepEqual(second.metadata, first.metadata);
      assert.equal(second.report.kernel?.bootcsum, first.report.kernel?.bootcsum);
    });
  }
});
