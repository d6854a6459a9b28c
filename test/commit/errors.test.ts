// Bad input: one clear line naming the problem, a non-zero exit, the repository
// exactly as it was (ref unchanged, fsck clean, nothing left in tmp/).
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTree } from '../helpers/fixtures.js';
import { cli, mustRun, ostree } from '../helpers/run.js';
import { makeRootfsTar } from '../helpers/rootfs-fixture.js';
import { makeTempDir } from '../helpers/tmp.js';

describe('commit: bad input', function () {
  this.timeout(120_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  let goodTar: string;
  let head: string;

  before(async () => {
    goodTar = (await makeRootfsTar(join(tmp.path, 'fixture'))).tar;
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', goodTar, '--timestamp', '1']);
    assert.equal(r.exitCode, 0, r.stderr);
    head = r.stdout.trim();
  });
  after(() => tmp.remove());

  async function expectRejected(tar: string, pattern: RegExp): Promise<void> {
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', tar, '--timestamp', '2']);
    assert.notEqual(r.exitCode, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0], pattern);
    assert.equal(readFileSync(join(repo, 'refs/heads/os/test'), 'utf8').trim(), head, 'ref unchanged');
    assert.deepEqual(readdirSync(join(repo, 'tmp')), ['cache'], 'nothing left in tmp/');
    assert.ok(!readdirSync(repo).includes('yocto-ostree.lock'), 'lock released');
    await ostree(['fsck', `--repo=${repo}`]);
  }

  it('a tar truncated in the middle of an entry', async () => {
    const tar = join(tmp.path, 'cut-mid.tar');
    copyFileSync(goodTar, tar);
    truncateSync(tar, Math.floor(statSync(goodTar).size / 2) + 100);
    await expectRejected(tar, /cut-mid\.tar: .*(truncated|Unexpected end)/);
  });

  it('a tar cut between entries (no end-of-archive marker)', async () => {
    const root = join(tmp.path, 'small');
    await buildTree(root, [{ path: 'a', type: 'file', content: 'a' }]);
    const tar = join(tmp.path, 'cut-end.tar');
    await mustRun('tar', ['--format=posix', '-C', root, '-cf', tar, '.']);
    truncateSync(tar, 3 * 512 + 512); // pax header + "./" + pax header + "a" header, no data/marker
    await expectRejected(tar, /cut-end\.tar: .*truncated/);
  });

  it('a corrupt .gz', async () => {
    const gz = gzipSync(readFileSync(goodTar));
    for (let i = 2000; i < 2100; i++) gz[i] ^= 0xff;
    const file = join(tmp.path, 'corrupt.tar.gz');
    writeFileSync(file, gz);
    await expectRejected(file, /corrupt\.tar\.gz: corrupt gzip data/);
  });

  it('a file that is not a tar at all', async () => {
    const file = join(tmp.path, 'notatar.bin');
    writeFileSync(file, Buffer.alloc(4096, 0x41));
    await expectRejected(file, /notatar\.bin: not a valid tar archive/);
  });

  it('an absolute path', async () => {
    const root = join(tmp.path, 'abs');
    await buildTree(root, [{ path: 'f', type: 'file', content: 'x' }]);
    const tar = join(tmp.path, 'abs.tar');
    await mustRun('tar', ['-P', '--format=posix', '-cf', tar, join(root, 'f')]);
    await expectRejected(tar, /\/f: absolute path in tar entry/);
  });

  it('a path with ".."', async () => {
    const root = join(tmp.path, 'dotdot/inner');
    await buildTree(root, [{ path: 'f', type: 'file', content: 'x' }]);
    await buildTree(join(tmp.path, 'dotdot'), [{ path: 'escape', type: 'file', content: 'y' }]);
    const tar = join(tmp.path, 'dotdot.tar');
    await mustRun('tar', ['-P', '--format=posix', '-C', root, '-cf', tar, 'f', '../escape']);
    await expectRejected(tar, /\.\.\/escape: path escapes the root/);
  });

  it('a name longer than 255 bytes', async () => {
    const root = join(tmp.path, 'longname');
    await buildTree(root, [{ path: 'short', type: 'file', content: 'x' }]);
    const tar = join(tmp.path, 'longname.tar');
    await mustRun('tar', ['--format=posix', '-C', root, `--transform=s/short/${'L'.repeat(256)}/`, '-cf', tar, '.']);
    await expectRejected(tar, /L{256}: file name longer than 255 bytes/);
  });

  it('a hardlink to a target that is not in the tarball', async () => {
    const root = join(tmp.path, 'hl');
    await buildTree(root, [
      { path: 'target', type: 'file', content: 'x' },
      { path: 'link', type: 'hardlink', target: 'target' },
    ]);
    const tar = join(tmp.path, 'hl.tar');
    await mustRun('tar', ['--format=posix', '--sort=name', '-C', root, '-cf', tar, '.']);
    await mustRun('tar', ['--delete', '-f', tar, './link']); // the first of the two carries the data
    await expectRejected(tar, /target: hardlink to "link", which is not in the tarball/);
  });

  it('a repository that does not exist', async () => {
    const r = await cli(['commit', '--no-prepare', '--repo', join(tmp.path, 'nope'), '--branch', 'b', '--rootfs', goodTar]);
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /nope is not an OSTree repository/);
  });

  it('after all that, the good tarball still commits', async () => {
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', goodTar, '--timestamp', '3']);
    assert.equal(r.exitCode, 0, r.stderr);
    await ostree(['fsck', `--repo=${repo}`]);
  });
});
