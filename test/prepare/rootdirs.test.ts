import assert from 'node:assert/strict';
import { newReport } from '../../src/prepare/report.js';
import { linkRootDirs, ROOT_SYMLINKS, ROOTDIRS_TMPFILES } from '../../src/prepare/rootdirs.js';
import { tmpfilesLine } from '../../src/prepare/tmpfiles-format.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';
import { META_UPDATER_SYMLINKS, META_UPDATER_TMPFILES } from './meta-updater-layout.js';

describe('prepare step rootdirs', () => {
  it("makes meta-updater's symlinks and an empty sysroot/", () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['home/', 'opt/', 'mnt/', 'media/', 'srv/', { path: 'root', type: 'dir', mode: 0o700 }, 'usr/local/bin/', 'usr/bin/']);
    linkRootDirs(tree, ctx, {}, newReport());
    const seen = describeTree(ctx, tree);
    for (const [path, target] of Object.entries(META_UPDATER_SYMLINKS)) assert.equal(seen.get(path), `-> ${target}`, path);
    assert.equal(seen.get('sysroot'), 'dir 0755');
    assert.equal(Object.keys(META_UPDATER_SYMLINKS).length, ROOT_SYMLINKS.length);
  });

  it("returns meta-updater's tmpfiles set, in its order and modes", () => {
    const ctx = memoryContext();
    const entries = linkRootDirs(modelTree(ctx, []), ctx, {}, newReport());
    assert.deepEqual(entries.map(tmpfilesLine), META_UPDATER_TMPFILES);
    assert.equal(ROOTDIRS_TMPFILES, entries);
  });

  it('reports the files it drops from each directory, one warning per directory', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [['home/root/.profile', 'x'], ['opt/app/bin/run', 'y'], 'opt/empty/', 'mnt/data -> /data']);
    const report = newReport();
    linkRootDirs(tree, ctx, {}, report);
    assert.deepEqual(report.warnings.map((w) => w.split(';')[0]), ['/home: dropped 1 file (home/root/.profile)', '/opt: dropped 1 file (opt/app/bin/run)']);
  });

  it('with strict, refuses to drop them', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [['srv/www/index.html', 'x']]);
    assert.throws(() => linkRootDirs(tree, ctx, { strict: true }, newReport()), /^Error|prepare rootdirs: \/srv: dropped 1 file \(srv\/www\/index.html\)/);
  });

  it('keeps symlinks that are already right (a prepared tree prepares to the same tree)', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, []);
    linkRootDirs(tree, ctx, {}, newReport());
    const before = describeTree(ctx, tree);
    const report = newReport();
    linkRootDirs(tree, ctx, {}, report);
    assert.deepEqual(describeTree(ctx, tree), before);
    assert.deepEqual(report.warnings, []);
  });
});
