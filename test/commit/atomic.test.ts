// A commit killed at any moment, or racing another, never damages the repository.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildTree, packTar } from '../helpers/fixtures.js';
import { CLI, cli, ostree } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';

describe('commit: atomicity', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  let v1: string;
  let v2: string;
  let head: string;
  const readRef = (): string => readFileSync(join(repo, 'refs/heads/os/test'), 'utf8').trim();

  before(async () => {
    // Enough small files that a commit takes a while, so a kill lands mid-way.
    const files = (tag: string) => Array.from({ length: 1500 }, (_, i) => ({ path: `usr/share/f${i % 30}/file${i}`, type: 'file' as const, content: `${tag} ${i}\n`.repeat(50) }));
    await buildTree(join(tmp.path, 'v1'), files('one'));
    await buildTree(join(tmp.path, 'v2'), files('two'));
    v1 = await packTar(join(tmp.path, 'v1'), join(tmp.path, 'v1.tar'));
    v2 = await packTar(join(tmp.path, 'v2'), join(tmp.path, 'v2.tar'));
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', v1, '--timestamp', '1']);
    assert.equal(r.exitCode, 0, r.stderr);
    head = r.stdout.trim();
  });
  after(() => tmp.remove());

  for (const signal of ['SIGKILL', 'SIGKILL', 'SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} at a random moment leaves the ref unchanged and the repo fsck-clean`, async () => {
      const child = execa(process.execPath, [CLI, 'commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', v2, '--timestamp', '2'], { reject: false });
      const delay = 100 + Math.floor(Math.random() * 900);
      await new Promise((r) => setTimeout(r, delay));
      child.kill(signal);
      const result = await child;
      const now = readRef();
      if (result.exitCode === 0 || now !== head) {
        // It published before the signal (a kill may still cut short the static delta
        // or the summary that follow the ref): then the ref names the whole new commit,
        // on top of the old head.
        assert.equal((await ostree(['rev-parse', `--repo=${repo}`, 'os/test^'])).trim(), head, `parent after ${signal} at ${delay} ms`);
        head = now;
      }
      assert.equal(now, head, `ref after ${signal} at ${delay} ms`);
      await ostree(['fsck', `--repo=${repo}`]);
    });
  }

  it('reruns fine after being killed', async () => {
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/test', '--rootfs', v2, '--timestamp', '3']);
    assert.equal(r.exitCode, 0, r.stderr);
    await ostree(['fsck', `--repo=${repo}`]);
    assert.deepEqual((await ostree(['ls', `--repo=${repo}`, 'os/test', '/usr/share/f0/file0'])).includes('file0'), true);
  });

  it('two commits started at once: both succeed, or one says the repo is locked', async () => {
    const runs = await Promise.all(
      ['a', 'b'].map((b) => cli(['commit', '--no-prepare', '--repo', repo, '--branch', `os/${b}`, '--rootfs', b === 'a' ? v1 : v2, '--timestamp', '4'])),
    );
    for (const r of runs) {
      if (r.exitCode !== 0) {
        assert.equal(r.exitCode, 75);
        assert.match(r.stderr, /is locked by process \d+/);
      }
    }
    assert.ok(runs.some((r) => r.exitCode === 0));
    await ostree(['fsck', `--repo=${repo}`]);
  });
});
