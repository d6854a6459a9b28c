// Acceptance 1 and 2: the otaimg tree equals, entry by entry, the sysroot real
// `ostree admin` builds from the same commit (init-fs, os-init, U-Boot prepared as
// meta-updater does, pull-local, refs --create, deploy), plus meta-updater's /var
// steps. Documented differences only: lost+found (mkfs), and times that ostree takes
// from the clock are SOURCE_DATE_EPOCH in the image (ostree's fixed 0 stays 0).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { removeSysroot } from '../helpers/sysroot.js';
import { mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { BRANCH, commitFixture, FIRST, OS, otaimg, type CommittedFixture } from '../sysroot/sysroot-fixture.js';
import { diffSnapshots, snapshotDirectory, snapshotImage, type Entry } from './image-snapshot.js';
import { asImageTimes, referenceSysroot } from './reference-sysroot.js';
import { Ext4Image } from '../../src/image/ext4-image.js';

const onlyMkfs = (path: string, field: string): boolean => field === 'presence' && path === 'lost+found';

describe('otaimg against the sysroot real ostree admin builds', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  let fx: CommittedFixture;
  let ref: string;
  let want: Map<string, Entry>;
  before(async () => {
    fx = await commitFixture(tmp.path, repo, 'first', FIRST, '1.0');
    ref = await referenceSysroot(join(tmp.path, 'reference'), repo, fx, BRANCH);
    want = asImageTimes(await snapshotDirectory(ref));
  });
  after(async () => {
    if (ref) await removeSysroot(ref);
    tmp.remove();
  });

  it('writes an ext4 image e2fsck finds clean, holding the same tree', async () => {
    const image = join(tmp.path, 'ota.ext4');
    const r = await otaimg(repo, image);
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.commit, fx.commit);
    await mustRun('e2fsck', ['-fn', image]);
    const got = await snapshotImage(image);
    assert.deepEqual(diffSnapshots(got, want, onlyMkfs), []);
    // The fixture exercised what the comparison is about.
    const deployed = `ostree/deploy/${OS}/deploy/${fx.commit}.0`;
    assert.equal(got.get(`${deployed}/usr/share/big-owner`)?.uid, 200000);
    assert.ok(got.get(`${deployed}/usr/bin/tagged`)?.xattrs['user.origin']);
    assert.equal(got.get(`${deployed}/usr/lib/modules/6.1.0-fixture/vmlinuz`)?.links?.length, 3);
    assert.equal(got.get('boot/loader')?.target, 'loader.1');
  });

  it('sets chattr +i on the deployment root, as ostree admin deploy does', async () => {
    const image = join(tmp.path, 'ota.ext4');
    const lsattr = await mustRun('lsattr', ['-d', join(ref, `ostree/deploy/${OS}/deploy/${fx.commit}.0`)]);
    assert.match(lsattr.split(' ')[0], /i/);
    const img = await Ext4Image.open(image);
    try {
      assert.equal(((await img.lstat(`ostree/deploy/${OS}/deploy/${fx.commit}.0`))!.flags & 0x10) !== 0, true);
    } finally {
      await img.close();
    }
  });

  it('writes the same tree as a tarball (GNU tar extracts it, hardlinks and xattrs kept)', async () => {
    const tar = join(tmp.path, 'ota.tar');
    const r = await otaimg(repo, tar, ['--format', 'tar']);
    assert.equal(r.exitCode, 0, r.stderr);
    const out = join(tmp.path, 'tar-extract');
    mkdirSync(out);
    await mustRun('tar', ['--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', tar, '-C', out]);
    assert.deepEqual(diffSnapshots(await snapshotDirectory(out), want), []);
  });
});
