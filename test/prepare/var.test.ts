import assert from 'node:assert/strict';
import { PrepareError } from '../../src/prepare/prepare-error.js';
import { newReport } from '../../src/prepare/report.js';
import { emptyVar } from '../../src/prepare/var.js';
import { memoryContext, modelTree } from '../helpers/prepare-model.js';

function yoctoVar() {
  const ctx = memoryContext();
  const tree = modelTree(ctx, [
    'var/',
    'var/lib/',
    { path: 'var/spool/cron', type: 'dir', mode: 0o1730, gid: 53 },
    { path: 'var/local', type: 'dir', mode: 0o2775, gid: 50 },
    ['var/local/keep.txt', 'kept'],
    'var/run -> /run',
    'var/lib/dpkg/status',
    ['var/lib/misc/data', 'payload'],
    ['var/cache/x', 'cached'],
  ]);
  return { ctx, tree };
}

describe('prepare step var', () => {
  it('keeps only var/local, untouched', () => {
    const { tree } = yoctoVar();
    emptyVar(tree, {}, newReport());
    const v = tree.lookup('var');
    assert.equal(v?.kind, 'dir');
    assert.deepEqual([...(v.kind === 'dir' ? v.children.keys() : [])], ['local']);
    assert.ok(tree.lookup('var/local/keep.txt'));
  });

  it('turns directories, symlinks and empty files into entries that recreate them, with their modes and owners', () => {
    const { tree } = yoctoVar();
    const entries = emptyVar(tree, {}, newReport());
    assert.deepEqual(entries, [
      { type: 'd', path: '/var/cache', perms: 0o755, uid: 0, gid: 0 },
      { type: 'd', path: '/var/lib', perms: 0o755, uid: 0, gid: 0 },
      { type: 'd', path: '/var/lib/dpkg', perms: 0o755, uid: 0, gid: 0 },
      { type: 'f', path: '/var/lib/dpkg/status', perms: 0o644, uid: 0, gid: 0 },
      { type: 'd', path: '/var/lib/misc', perms: 0o755, uid: 0, gid: 0 },
      { type: 'L', path: '/var/run', target: '/run' },
      { type: 'd', path: '/var/spool', perms: 0o755, uid: 0, gid: 0 },
      { type: 'd', path: '/var/spool/cron', perms: 0o1730, uid: 0, gid: 53 },
    ]);
  });

  it('reports the files with content it drops (count and first paths) as one warning', () => {
    const { tree } = yoctoVar();
    const report = newReport();
    emptyVar(tree, {}, report);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0], /^\/var: dropped 2 files \(var\/cache\/x, var\/lib\/misc\/data\); /);
  });

  it('with strict, refuses to drop them (one line, naming the files)', () => {
    const { tree } = yoctoVar();
    assert.throws(() => emptyVar(tree, { strict: true }, newReport()), (e: Error) => e instanceof PrepareError && /var\/cache\/x/.test(e.message) && /--strict/.test(e.message));
  });

  it('leaves out what the image already declares in its own tmpfiles.d or volatiles', () => {
    const { tree } = yoctoVar();
    const entries = emptyVar(tree, { declared: new Set(['/var/run', '/var/lib', '/var/cache']) }, newReport());
    assert.deepEqual(entries.map((e) => e.path), ['/var/lib/dpkg', '/var/lib/dpkg/status', '/var/lib/misc', '/var/spool', '/var/spool/cron']);
  });

  it('does nothing on a tree without /var', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['usr/']);
    assert.deepEqual(emptyVar(tree, {}, newReport()), []);
  });
});
