// Both ext4 writers (mke2fs -d from the tar stream; mkfs.ext4 + the ext2fs WASM
// library) give the same file tree, each is clean for e2fsck, reproducible to the
// byte (acceptance 4), and `yocto-ostree inspect` verifies what they wrote. The
// fast path's detour (the busiest directories built at the top, then moved) leaves no trace.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { detectE2fsprogs } from '../../src/image/e2fsprogs.js';
import { hoistedPath } from '../../src/image/hoisted-dirs.js';
import { commitFixture, FIRST, OS, otaimg, type CommittedFixture } from '../sysroot/sysroot-fixture.js';
import { diffSnapshots, snapshotImage } from './image-snapshot.js';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('otaimg ext4 writers', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  let fx: CommittedFixture;
  const image = (name: string): string => join(tmp.path, name);
  before(async function () {
    fx = await commitFixture(tmp.path, repo, 'first', FIRST, '1.0');
  });
  after(() => tmp.remove());

  it('portable: e2fsck clean, byte-identical twice, same tree as the mke2fs path', async function () {
    for (const name of ['portable-1.ext4', 'portable-2.ext4']) {
      const r = await otaimg(repo, image(name), ['--ext4-writer', 'portable']);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).writer, 'portable');
      await mustRun('e2fsck', ['-fn', image(name)]);
    }
    assert.equal(sha256(image('portable-1.ext4')), sha256(image('portable-2.ext4')));
    if (!(await detectE2fsprogs()).tarInput) this.skip(); // no mke2fs path to compare with here
    const r = await otaimg(repo, image('mke2fs.ext4'), ['--ext4-writer', 'mke2fs']);
    assert.equal(r.exitCode, 0, r.stderr);
    const fast = await snapshotImage(image('mke2fs.ext4'));
    const portable = await snapshotImage(image('portable-1.ext4'));
    // Inode numbers differ between writers; everything else, hardlink groups included, must not.
    assert.deepEqual(diffSnapshots(portable, fast), []);
  });

  it('mke2fs: e2fsck clean and byte-identical twice', async function () {
    if (!(await detectE2fsprogs()).tarInput) this.skip();
    const again = image('mke2fs-2.ext4');
    const r = await otaimg(repo, again, ['--ext4-writer', 'mke2fs']);
    assert.equal(r.exitCode, 0, r.stderr);
    await mustRun('e2fsck', ['-fn', again]);
    assert.equal(sha256(image('mke2fs.ext4')), sha256(again));
  });

  it('inspect lists the deployment and the loader state and verifies every deployed file', async () => {
    const r = await cli(['inspect', image('portable-1.ext4'), '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.label, 'otaroot');
    assert.equal(report.bootversion, 1);
    assert.equal(report.deployments.length, 1);
    const d = report.deployments[0];
    assert.equal(d.commit, fx.commit);
    assert.equal(d.refspec, `${OS}:fixos/test`);
    assert.deepEqual(d.problems, []);
    assert.ok(d.verified.files > 20);
    assert.equal(report.entries[0].deployment, `ostree/deploy/${OS}/deploy/${fx.commit}.0`);
    assert.match(report.uEnv.bootargs, /^root=LABEL=otaroot rootfstype=ext4 ostree=\/ostree\/boot\.1\//);
  });

  it('inspect reports a deployed file that no longer matches its object', async () => {
    const broken = image('portable-1.ext4');
    const path = `/ostree/deploy/${OS}/deploy/${fx.commit}.0/usr/share/motd`;
    await mustRun('debugfs', ['-w', '-R', `sif ${path} mode 0100600`, broken]);
    const r = await cli(['inspect', broken]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stdout, /usr\/share\/motd: content checksum differs/);
    assert.match(r.stderr, /does not verify/);
  });
});

describe('the fast path builds the busiest directories at the top and moves them', () => {
  it('maps whole components, to the deepest hoisted directory', () => {
    const at = hoistedPath([
      { path: 'ostree/repo/objects', name: '0' },
      { path: 'ostree/deploy/os/deploy/abc.0', name: '1' },
      { path: 'ostree/deploy/os/deploy/abc.0/usr/share', name: '2' },
    ]);
    assert.equal(at('ostree/repo/objects'), '0');
    assert.equal(at('ostree/repo/objects/ab/cd.file'), '0/ab/cd.file');
    assert.equal(at('ostree/deploy/os/deploy/abc.0/usr/bin'), '1/usr/bin');
    assert.equal(at('ostree/deploy/os/deploy/abc.0/usr/share'), '2');
    assert.equal(at('ostree/deploy/os/deploy/abc.0/usr/share/doc/x'), '2/doc/x');
    assert.equal(at('ostree/deploy/os/deploy/abc.0.origin'), 'ostree/deploy/os/deploy/abc.0.origin');
    assert.equal(at('ostree/repo/objectsx'), 'ostree/repo/objectsx');
    assert.equal(at('ostree'), 'ostree');
  });
});
