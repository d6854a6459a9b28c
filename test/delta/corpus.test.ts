// Acceptance 4, on the corpus (../shared/corpus/make-corpus.sh): v1 → v2 of a
// Debian armhf rootfs with a new kernel. Our delta (plus the objects it leaves
// to loose fetches) is no bigger than `ostree static-delta generate`'s, is
// built in at most half its time, and the real client applies it.
// Slow (a minute or two): runs only with YOCTO_OSTREE_CORPUS=/path/to/corpus.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeClient } from '../helpers/ostree-client.js';
import { cli, ostree } from '../helpers/run.js';
import { serveDirectory } from '../helpers/static-server.js';
import { makeTempDir } from '../helpers/tmp.js';

const corpus = process.env.YOCTO_OSTREE_CORPUS;

function directorySize(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

describe('static delta on the corpus (v1 → v2)', function () {
  this.timeout(900_000);
  const tmp = makeTempDir();
  after(() => tmp.remove());

  before(function () {
    if (!corpus) {
      console.log('      skipped: set YOCTO_OSTREE_CORPUS to the corpus directory (v1.tar, v2.tar) to run it');
      this.skip();
    }
  });

  it('is no bigger than ostree\'s own, twice as fast at least, and pulls with the real client', async () => {
    const repo = join(tmp.path, 'ours');
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    const commits: string[] = [];
    for (const v of [1, 2]) {
      const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', 'os/main', '--rootfs', join(corpus!, `v${v}.tar`), '--timestamp', String(1700000000 + v), '--set', 'OSTREE_STATIC_DELTAS=', '--json']);
      assert.equal(r.exitCode, 0, r.stderr);
      commits.push(JSON.parse(r.stdout).commit);
    }
    const [v1, v2] = commits;
    const reference = join(tmp.path, 'ostree');
    cpSync(repo, reference, { recursive: true });

    let start = process.hrtime.bigint();
    await ostree(['static-delta', 'generate', `--repo=${reference}`, `--from=${v1}`, `--to=${v2}`]);
    const ostreeSeconds = seconds(start);
    const show = await ostree(['static-delta', 'show', `--repo=${reference}`, `${v1}-${v2}`]);
    // Superblock and parts on disk, plus the objects clients fetch loose.
    const ostreeTotal = directorySize(join(reference, 'deltas')) + Number(/Total Fallback Size: (\d+)/.exec(show)?.[1] ?? 0);

    start = process.hrtime.bigint();
    const d = await cli(['delta', '--repo', repo, '--from', v1, '--to', v2, '--json']);
    const oursSeconds = seconds(start);
    assert.equal(d.exitCode, 0, d.stderr);
    const report = JSON.parse(d.stdout);
    const oursTotal = report.size + report.fallbackSize;
    console.log(`      ostree: ${ostreeTotal} B in ${ostreeSeconds.toFixed(1)} s; ours: ${report.size} B + ${report.fallbackSize} B loose = ${oursTotal} B in ${oursSeconds.toFixed(1)} s`);
    assert.ok(oursTotal <= ostreeTotal, `ours ${oursTotal} B > ostree ${ostreeTotal} B`);
    assert.ok(oursSeconds <= ostreeSeconds / 2, `ours ${oursSeconds} s, ostree ${ostreeSeconds} s`);

    const server = await serveDirectory(repo);
    try {
      const client = await makeClient(tmp.path, 'client', server.url);
      assert.equal((await client.pull(`os/main@${v1}`)).exitCode, 0);
      const before = server.bytesServed;
      // As update agents do: the commit's metadata first, then the update (2022.x clients
      // would otherwise rescan the delta's commit and race its parts; see pull.test.ts).
      assert.equal((await client.pull('os/main', ['--commit-metadata-only'])).exitCode, 0);
      const r = await client.pull('os/main', ['--require-static-deltas']);
      assert.equal(r.exitCode, 0, r.stderr);
      const served = server.bytesServed - before;
      console.log(`      pull v1 → v2 through the delta: ${served} B served`);
      assert.ok(served <= oursTotal + 65_536, `served ${served} B for ${oursTotal} B`);
      assert.equal((await client.fsck()).exitCode, 0);
      assert.equal(await client.revParse('os/main'), v2);
    } finally {
      await server.close();
    }
  });
});
