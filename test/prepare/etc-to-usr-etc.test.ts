import assert from 'node:assert/strict';
import { moveEtcToUsrEtc } from '../../src/prepare/etc-to-usr-etc.js';
import { PrepareError } from '../../src/prepare/prepare-error.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';

describe('prepare step etc-to-usr-etc', () => {
  it('moves etc/ with its content and metadata to usr/etc/', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [{ path: 'etc', type: 'dir', mode: 0o750 }, ['etc/passwd', 'root:x:0:0'], 'etc/init.d/', 'usr/bin/']);
    moveEtcToUsrEtc(tree);
    assert.equal(tree.lookup('etc'), undefined);
    const after = describeTree(ctx, tree, 'usr/etc');
    assert.deepEqual([...after], [
      ['usr/etc', 'dir 0750'],
      ['usr/etc/init.d', 'dir 0755'],
      ['usr/etc/passwd', 'file 0644 root:x:0:0'],
    ]);
  });

  it('takes etc/ over an empty usr/etc/, and keeps usr/etc/ when etc/ is empty', () => {
    const ctx = memoryContext();
    const a = modelTree(ctx, ['usr/etc/', ['etc/hostname', 'imx6']]);
    moveEtcToUsrEtc(a);
    assert.equal(ctx.text(a.lookup('usr/etc/hostname') as never), 'imx6');
    const b = modelTree(ctx, ['etc/', ['usr/etc/hostname', 'imx6']]);
    moveEtcToUsrEtc(b);
    assert.equal(b.lookup('etc'), undefined);
    assert.ok(b.lookup('usr/etc/hostname'));
  });

  it('refuses a tree with content in both etc/ and usr/etc/, naming both', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['etc/fstab', 'usr/etc/passwd']);
    assert.throws(() => moveEtcToUsrEtc(tree), (e: Error) => e instanceof PrepareError && /etc\/fstab, usr\/etc\/passwd/.test(e.message) && !e.message.includes('\n'));
  });

  it('refuses an etc that is a symlink', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['etc -> usr/etc', 'usr/etc/']);
    assert.throws(() => moveEtcToUsrEtc(tree), /etc: not a directory \(a symlink to usr\/etc\)/);
  });

  it('creates an empty usr/etc/ when the tree has no configuration at all', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['usr/bin/']);
    moveEtcToUsrEtc(tree);
    assert.equal(tree.lookup('usr/etc')?.kind, 'dir');
  });
});
