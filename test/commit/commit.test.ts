// Acceptance of `yocto-ostree commit`: real ostree is the judge.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, mustRun, ostree } from '../helpers/run.js';
import { makeRootfsTar, SPECIAL_PATHS } from '../helpers/rootfs-fixture.js';
import { makeTempDir } from '../helpers/tmp.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';
import { buildTree, packTar } from '../helpers/fixtures.js';

const TS = '1672531200';

async function initRepo(path: string): Promise<void> {
  const r = await cli(['init', '--repo', path]);
  assert.equal(r.exitCode, 0, r.stderr);
}

async function commit(repo: string, tar: string, extra: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', tar, '--subject', 'subj', '--body', 'bdy', ...extra], { env });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout.trim();
}

/** What real ostree writes for the same tarball and commit fields. */
async function ostreeCommit(dir: string, tar: string, extra: string[] = []): Promise<string> {
  const repo = join(dir, `oracle-${Math.random().toString(36).slice(2)}`);
  await ostree(['init', `--repo=${repo}`, '--mode=archive']);
  const out = await ostree(['commit', `--repo=${repo}`, '-b', 'os/test', `--tree=tar=${tar}`, '-s', 'subj', '--body', 'bdy', '--timestamp=2023-01-01 00:00:00 UTC', ...extra]);
  return out.trim();
}

describe('commit', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  let fixture: { root: string; tar: string };
  let devFixture: { root: string; tar: string };
  before(async () => {
    fixture = await makeRootfsTar(join(tmp.path, 'plain'));
    devFixture = await makeRootfsTar(join(tmp.path, 'dev'), { devices: true });
  });
  after(() => tmp.remove());

  it('writes a commit that ostree fsck accepts and checks out entry for entry as the tar', async () => {
    const repo = join(tmp.path, 'repo-a1');
    await initRepo(repo);
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', devFixture.tar, '--timestamp', TS, '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.counts.skipped, 2, 'device node and FIFO skipped');
    assert.equal(result.counts.hardlinks, 2);
    assert.match(r.stderr, /warning: skipped 2 device node/);
    await ostree(['fsck', `--repo=${repo}`]);

    const checkout = join(tmp.path, 'checkout-a1');
    await ostree(['checkout', `--repo=${repo}`, 'os/test', checkout]);
    const extracted = join(tmp.path, 'extract-a1');
    mkdirSync(extracted);
    await mustRun('tar', ['--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', devFixture.tar, '-C', extracted]);
    const isSpecial = (p: string): boolean => SPECIAL_PATHS.includes(p);
    const want = await snapshotTree(extracted, isSpecial);
    const got = await snapshotTree(checkout);
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [path, desc] of want) assert.deepEqual(got.get(path), desc, path);
    // The fixture really exercised what it claims to.
    assert.equal(want.get('usr/bin/su')?.mode, '4755');
    assert.ok(want.get('usr/bin/ping')?.xattrs?.['security.capability']);
    assert.equal(want.get('srv/big-owner')?.uid, 200000);
  });

  it('gives the same commit checksum as `ostree commit --tree=tar=`', async () => {
    const repo = join(tmp.path, 'repo-a2');
    await initRepo(repo);
    const ours = await commit(repo, fixture.tar, ['--timestamp', TS]);
    assert.equal(ours, await ostreeCommit(tmp.path, fixture.tar));
  });

  it('creates missing parent directories as ostree --tar-autocreate-parents does', async () => {
    const root = join(tmp.path, 'parents');
    await buildTree(root, [{ path: 'a/b/c/file', type: 'file', content: 'x' }, { path: 'top', type: 'file', content: 'y' }]);
    const tar = join(tmp.path, 'parents.tar');
    await mustRun('tar', ['--format=posix', '--numeric-owner', '--no-recursion', '-C', root, '-cf', tar, './a/b/c/file', './top']);
    const repo = join(tmp.path, 'repo-parents');
    await initRepo(repo);
    const ours = await commit(repo, tar, ['--timestamp', TS]);
    await ostree(['fsck', `--repo=${repo}`]);
    assert.equal(ours, await ostreeCommit(tmp.path, tar, ['--tar-autocreate-parents']));
  });

  it('honours [archive] zlib-level: the same commit, smaller .filez objects at 9 than at 1', async () => {
    const root = join(tmp.path, 'zlib');
    // Text like a package manifest: zlib's levels compress it measurably differently.
    const manifest = Array.from({ length: 2000 }, (_, i) => `package-${(i * 7919) % 10007} armv7at2hf-neon ${i % 17}.${i % 5}-r${i % 3}\n`).join('');
    await buildTree(root, [
      { path: 'etc/hostname', type: 'file', content: 'fixture\n' },
      { path: 'usr/share/manifest', type: 'file', content: manifest },
    ]);
    const tar = await packTar(root, join(tmp.path, 'zlib.tar'));
    const results = [];
    for (const level of [1, 9]) {
      const repo = join(tmp.path, `repo-zlib-${level}`);
      await initRepo(repo);
      appendFileSync(join(repo, 'config'), `[archive]\nzlib-level=${level}\n`);
      const checksum = await commit(repo, tar, ['--timestamp', TS]);
      await ostree(['fsck', `--repo=${repo}`]);
      const objects = join(repo, 'objects');
      const filez = readdirSync(objects, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.filez'));
      results.push({ checksum, bytes: filez.reduce((sum, p) => sum + statSync(join(objects, p)).size, 0) });
    }
    assert.equal(results[0].checksum, results[1].checksum);
    assert.ok(results[0].bytes > results[1].bytes, `level 1: ${results[0].bytes} bytes, level 9: ${results[1].bytes}`);
  });

  for (const compression of ['gzip', 'bzip2', 'xz', 'zstd'] as const) {
    it(`reads ${compression}-compressed tarballs (by magic, not name) to the same commit`, async () => {
      const packed = await packTar(fixture.root, join(tmp.path, `rootfs-${compression}.bin`), compression);
      const repo = join(tmp.path, `repo-${compression}`);
      await initRepo(repo);
      assert.equal(await commit(repo, packed, ['--timestamp', TS]), await ostreeCommit(tmp.path, fixture.tar));
    });
  }

  it('is deterministic: same inputs and SOURCE_DATE_EPOCH, same checksum in two fresh repos', async () => {
    const sums: string[] = [];
    for (const name of ['det-1', 'det-2']) {
      const repo = join(tmp.path, name);
      await initRepo(repo);
      sums.push(await commit(repo, fixture.tar, ['--version', '1.0'], { SOURCE_DATE_EPOCH: TS }));
    }
    assert.equal(sums[0], sums[1]);
  });

  it('is served by a static HTTP server and pulled by real `ostree pull`', async () => {
    const { serveDirectory } = await import('../helpers/static-server.js');
    const repo = join(tmp.path, 'repo-http');
    await initRepo(repo);
    const csum = await commit(repo, fixture.tar, ['--timestamp', TS, '--version', '2.1']);
    const server = await serveDirectory(repo);
    try {
      const client = join(tmp.path, 'client-http');
      await ostree(['init', `--repo=${client}`, '--mode=archive']);
      await ostree(['remote', 'add', `--repo=${client}`, '--no-gpg-verify', 'origin', server.url]);
      await ostree(['pull', `--repo=${client}`, 'origin', 'os/test']);
      assert.equal((await ostree(['rev-parse', `--repo=${client}`, 'origin:os/test'])).trim(), csum);
      await ostree(['fsck', `--repo=${client}`]);
      // The summary lists the ref with its version, as clients show it.
      const summary = await ostree(['remote', 'summary', `--repo=${client}`, 'origin']);
      assert.match(summary, /os\/test/);
      assert.match(summary, /Version \(ostree\.commit\.version\): 2\.1/);
    } finally {
      await server.close();
    }
  });

  it('takes repo, branch, subject and version from local.conf as meta-updater names them', async () => {
    const build = join(tmp.path, 'build');
    mkdirSync(join(build, 'conf'), { recursive: true });
    writeFileSync(
      join(build, 'conf/local.conf'),
      ['MACHINE ?= "imx6qdlsabresd"', 'DISTRO_VERSION = "4.0.9"', 'IMAGE_NAME = "core-image-minimal-${MACHINE}"', 'OSTREE_REPO = "${TOPDIR}/ostree_repo"', ''].join('\n'),
    );
    assert.equal((await cli(['init', '--builddir', build])).exitCode, 0);
    const r = await cli(['commit', '--no-prepare', '--builddir', build, '--rootfs', fixture.tar, '--timestamp', TS]);
    assert.equal(r.exitCode, 0, r.stderr);
    const repo = join(build, 'ostree_repo');
    assert.equal((await ostree(['rev-parse', `--repo=${repo}`, 'imx6qdlsabresd'])).trim(), r.stdout.trim());
    const log = await ostree(['log', `--repo=${repo}`, 'imx6qdlsabresd']);
    assert.match(log, /Version: 4\.0\.9/);
    assert.match(log, /Commit-id: core-image-minimal-imx6qdlsabresd/);
  });

  it('--parent auto chains commits; --skip-if-unchanged writes nothing for the same tree', async () => {
    const repo = join(tmp.path, 'repo-parent');
    await initRepo(repo);
    const first = await commit(repo, fixture.tar, ['--timestamp', TS]);
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', fixture.tar, '--timestamp', '1672531300', '--skip-if-unchanged', '--json']);
    const skipped = JSON.parse(r.stdout);
    assert.equal(skipped.unchanged, true);
    assert.equal(skipped.commit, first);
    const second = await commit(repo, fixture.tar, ['--timestamp', '1672531300', '--add-metadata', 'build=42']);
    const log = await ostree(['log', `--repo=${repo}`, 'os/test']);
    assert.ok(log.includes(first) && log.includes(second));
    const show = await ostree(['show', `--repo=${repo}`, '--print-metadata-key=build', second]);
    assert.equal(show.trim(), "'42'");
    const none = await commit(repo, fixture.tar, ['--timestamp', '1672531400', '--parent', 'none']);
    await assert.rejects(ostree(['rev-parse', `--repo=${repo}`, `${none}^`]));
  });
});
