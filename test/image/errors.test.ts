// Acceptance 6: bad input fails with one clear line and leaves nothing behind.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTree, packTar } from '../helpers/fixtures.js';
import { cli, mustRun, run } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { BRANCH, commitFixture, FIRST, fixtureEntries, OS } from '../sysroot/sysroot-fixture.js';

describe('otaimg refuses bad input', function () {
  this.timeout(120_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  const out = join(tmp.path, 'out');
  before(async () => {
    await commitFixture(tmp.path, repo, 'first', FIRST, '1.0');
    const root = join(tmp.path, 'nokernel-root');
    await buildTree(root, fixtureEntries(FIRST).filter((e) => !e.path.startsWith('usr/lib/modules')));
    const tar = await packTar(root, join(tmp.path, 'nokernel.tar'));
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'fixos/nokernel', '--rootfs', tar, '--timestamp', '1700000000']);
    assert.equal(r.exitCode, 0, r.stderr);
    const etcRoot = join(tmp.path, 'etc-root');
    await buildTree(etcRoot, fixtureEntries(FIRST).map((e) => (e.path.startsWith('usr/etc/') ? { ...e, path: e.path.slice('usr/'.length) } : e)));
    const etcTar = await packTar(etcRoot, join(tmp.path, 'etc.tar'));
    const e = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'fixos/etc', '--rootfs', etcTar, '--timestamp', '1700000000']);
    assert.equal(e.exitCode, 0, e.stderr);
    mkdirSync(out);
  });
  after(async () => {
    await run('chattr', ['-i', out]);
    tmp.remove();
  });

  async function fails(args: string[], message: RegExp, env: Record<string, string> = {}, from = repo): Promise<void> {
    const r = await cli(['otaimg', '--repo', from, '--os', OS, ...args], { env: { SOURCE_DATE_EPOCH: '1700000000', ...env } });
    assert.notEqual(r.exitCode, 0);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], message);
    assert.deepEqual(readdirSync(out), [], 'nothing left in the output directory');
  }

  it('a commit without a kernel', () => fails(['--ref', 'fixos/nokernel', '--output', join(out, 'a.ext4')], /^yocto-ostree: commit [0-9a-f]{64} has no kernel: ostree admin deploy needs usr\/lib\/modules\/<kver>\/vmlinuz/));

  it('a commit with /etc but no /usr/etc (real ostree admin deploy fails on it too)', () => fails(['--ref', 'fixos/etc', '--output', join(out, 'g.ext4')], /^yocto-ostree: commit [0-9a-f]{64} has \/etc but no \/usr\/etc; /));

  it('a commit whose content objects are not all in the repository (both header readers)', async () => {
    const incomplete = join(tmp.path, 'incomplete');
    cpSync(repo, incomplete, { recursive: true });
    // Every third object: the header worker's share and this thread's both lack some.
    const objects = readdirSync(join(incomplete, 'objects'), { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.filez'));
    objects.filter((_, i) => i % 3 === 0).forEach((p) => rmSync(join(incomplete, 'objects', p)));
    await fails(['--ref', BRANCH, '--output', join(out, 'h.ext4')], /^yocto-ostree: commit [0-9a-f]{64} is incomplete: \S+ \(object [0-9a-f]{64}\) is not in /, {}, incomplete);
  });

  it('an unknown ref', () => fails(['--ref', 'no/such/ref', '--output', join(out, 'b.ext4')], /^yocto-ostree: ref "no\/such\/ref" does not exist in /));

  it('a size the sysroot does not fit in, on both writers', async () => {
    for (const writer of ['mke2fs', 'portable']) {
      await fails(['--ref', BRANCH, '--size', '512K', '--ext4-writer', writer, '--output', join(out, 'c.ext4')], /^yocto-ostree: the sysroot does not fit in 512 KiB \(it needs .*\); use at least --size \d+ \(KiB\)$/);
    }
  });

  it('more than IMAGE_ROOTFS_MAXSIZE', () => fails(['--ref', BRANCH, '--output', join(out, 'd.ext4')], /IMAGE_ROOTFS_MAXSIZE \(4096 KiB\)/, { IMAGE_ROOTFS_MAXSIZE: '4096' }));

  it('an output directory that does not exist', () => fails(['--ref', BRANCH, '--output', join(out, 'missing/e.ext4')], /^yocto-ostree: cannot write .*e\.ext4: no such directory$/));

  it('an output directory nobody may write to (chattr +i, even for root)', async () => {
    await mustRun('chattr', ['+i', out]);
    try {
      await fails(['--ref', BRANCH, '--output', join(out, 'f.ext4')], /^yocto-ostree: cannot write .*f\.ext4: /);
    } finally {
      await mustRun('chattr', ['-i', out]);
    }
  });
});
