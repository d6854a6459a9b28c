// Acceptance of static deltas: the real ostree 2022.7 client pulls them over
// HTTP from 127.0.0.1 into bare-user repositories (deltas are never used by
// archive clients), and its fsck is the judge. The server counts the bytes.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeClient } from '../helpers/ostree-client.js';
import { cli, ostree } from '../helpers/run.js';
import { serveDirectory, type StaticServer } from '../helpers/static-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { makeVersionTar } from '../helpers/update-fixture.js';

const BRANCH = 'os/main';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function sizeOf(root: string, paths: string[]): number {
  return paths.reduce((n, p) => n + statSync(join(root, p.replace(/^\//, ''))).size, 0);
}

describe('static deltas, pulled by ostree 2022.7 over HTTP', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'server');
  const tars: Record<number, string> = {};
  let server: StaticServer;
  let v1: string;
  let v2: string;
  let autoDelta: { name: string; size: number; fallbackSize: number };
  let emptyDelta: { name: string; size: number; fallbackSize: number; objects: Record<string, number>; path: string };

  async function commit(version: 1 | 2 | 3, target = repo, extra: string[] = []): Promise<{ commit: string; deltas: { name: string; size: number; fallbackSize: number }[] }> {
    const r = await cli(['commit', '--no-prepare', '--repo', target, '--branch', BRANCH, '--rootfs', tars[version], '--timestamp', String(1700000000 + version), '--json', ...extra]);
    assert.equal(r.exitCode, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  before(async () => {
    for (const v of [1, 2, 3] as const) tars[v] = await makeVersionTar(tmp.path, v);
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    v1 = (await commit(1, repo, ['--set', 'OSTREE_STATIC_DELTAS='])).commit;
    const second = await commit(2); // OSTREE_STATIC_DELTAS unset: a delta from the parent
    v2 = second.commit;
    autoDelta = second.deltas[0];
    const r = await cli(['delta', '--repo', repo, '--to', BRANCH, '--empty', '--min-fallback-size', '0.1', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    emptyDelta = JSON.parse(r.stdout);
    server = await serveDirectory(repo);
  });
  after(async () => {
    await server?.close();
    tmp.remove();
  });

  it('commit builds the delta from the parent; summary, index and ostree itself list it', async () => {
    assert.equal(autoDelta.name, `${v1}-${v2}`);
    assert.deepEqual((await ostree(['static-delta', 'list', `--repo=${repo}`])).trim().split('\n').sort(), [`${v1}-${v2}`, v2].sort());
    const summary = await ostree(['summary', '--view', `--repo=${repo}`]);
    assert.match(summary, new RegExp(`${v1}-${v2}`));
    assert.match(summary, /ostree.summary.indexed-deltas: true/);
    assert.ok(filesUnder(join(repo, 'delta-indexes')).length === 1, 'one index file, for v2');
    const show = await ostree(['static-delta', 'show', `--repo=${repo}`, `${v1}-${v2}`]);
    assert.match(show, /bspatch=[1-9]/, 'the changed library goes as a patch');
    assert.match(show, /Endianness: little/);
    assert.equal(emptyDelta.objects.fallback, 2, 'the kernel and the library (over --min-fallback-size) go loose');
    assert.match(await ostree(['static-delta', 'show', `--repo=${repo}`, v2]), /Number of fallback entries: 2/);
  });

  it('a client holding v1 pulls v2 through the delta, fetching the delta\'s size; fsck clean', async () => {
    // The update-agent flow: look at the new commit first (metadata only), then fetch it.
    // The delta is then all that travels.
    const client = await makeClient(tmp.path, 'client-v1', server.url);
    assert.equal((await client.pull(`${BRANCH}@${v1}`)).exitCode, 0);
    const before = server.bytesServed;
    const commitSize = statSync(join(repo, 'objects', v2.slice(0, 2), `${v2.slice(2)}.commit`)).size;
    assert.equal((await client.pull(BRANCH, ['--commit-metadata-only'])).exitCode, 0);
    const r = await client.pull(BRANCH, ['--require-static-deltas']);
    assert.equal(r.exitCode, 0, r.stderr);
    const served = server.bytesServed - before;
    const deltaBytes = autoDelta.size + autoDelta.fallbackSize;
    console.log(`      delta ${deltaBytes} B (+ ${commitSize} B commit, summary and index): served ${served} B`);
    assert.ok(served <= deltaBytes + commitSize + 4096, `served ${served} B for a ${deltaBytes} B delta`);
    assert.equal((await client.fsck()).exitCode, 0);
    assert.equal(await client.revParse(BRANCH), v2);
  });

  it('a plain `pull --require-static-deltas` works too; 2022.x may fetch some objects twice', async () => {
    // ostree 2022.x rescans a commit that came in a delta and fetches loose whatever
    // a part has not written yet (upstream fix: ostree 2023.7, commit fc5aef6f).
    const client = await makeClient(tmp.path, 'client-v1-plain', server.url);
    assert.equal((await client.pull(`${BRANCH}@${v1}`)).exitCode, 0);
    const start = server.requests.length;
    const before = server.bytesServed;
    const r = await client.pull(BRANCH, ['--require-static-deltas']);
    assert.equal(r.exitCode, 0, r.stderr);
    const served = server.bytesServed - before;
    const requests = server.requests.slice(start);
    const parts = requests.filter((p) => p.startsWith(`/deltas/`) && !p.endsWith('/superblock'));
    assert.equal(parts.length, new Set(parts).size, 'each part fetched once');
    const loose = requests.filter((p) => p.startsWith('/objects/') && existsSync(join(repo, p)));
    const deltaBytes = autoDelta.size + autoDelta.fallbackSize;
    console.log(`      delta ${deltaBytes} B: served ${served} B, of which ${sizeOf(repo, loose)} B in ${loose.length} loose objects`);
    assert.ok(served < deltaBytes + sizeOf(repo, loose) + 4096);
    assert.equal((await client.fsck()).exitCode, 0);
    assert.equal(await client.revParse(BRANCH), v2);
  });

  it('a client with nothing pulls v2 through the --empty delta; the fallback comes loose', async () => {
    const client = await makeClient(tmp.path, 'client-empty', server.url);
    const start = server.requests.length;
    const r = await client.pull(BRANCH, ['--require-static-deltas']);
    assert.equal(r.exitCode, 0, r.stderr);
    const requests = server.requests.slice(start);
    assert.ok(requests.includes(`/${emptyDelta.path}/superblock`), `scratch superblock fetched: ${requests.join(' ')}`);
    assert.ok(requests.filter((p) => p.endsWith('.filez')).length >= 1, 'the fallback object is fetched loose');
    assert.equal((await client.fsck()).exitCode, 0);
    assert.equal(await client.revParse(BRANCH), v2);
  });

  it('a plain pull without deltas works too', async () => {
    const client = await makeClient(tmp.path, 'client-plain', server.url);
    const start = server.requests.length;
    const r = await client.pull(BRANCH, ['--disable-static-deltas']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(!server.requests.slice(start).some((p) => p.startsWith('/deltas/')));
    assert.equal((await client.fsck()).exitCode, 0);
  });

  it('--inline puts the parts in the superblock, and the client applies it', async () => {
    const copy = join(tmp.path, 'server-inline');
    cpSync(repo, copy, { recursive: true });
    const d = await cli(['delta', '--repo', copy, '--from', v1, '--to', v2, '--inline', '--json']);
    assert.equal(d.exitCode, 0, d.stderr);
    assert.deepEqual(readdirSync(join(copy, JSON.parse(d.stdout).path)), ['superblock']);
    const inlineServer = await serveDirectory(copy);
    try {
      const client = await makeClient(tmp.path, 'client-inline', inlineServer.url);
      assert.equal((await client.pull(`${BRANCH}@${v1}`)).exitCode, 0);
      const r = await client.pull(BRANCH, ['--require-static-deltas']);
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal((await client.fsck()).exitCode, 0);
    } finally {
      await inlineServer.close();
    }
  });

  it('rejects bad input with one clear line, leaving deltas/ and tmp/ as they were', async () => {
    const deltasBefore = filesUnder(join(repo, 'deltas'));
    const cases: [string[], RegExp][] = [
      [['--to', BRANCH, '--from', 'ab'.repeat(32)], /commit abab.* is not in/],
      [['--to', BRANCH, '--from', 'no/such/ref'], /"no\/such\/ref" is neither a ref .* nor a full checksum/],
      [['--to', 'cd'.repeat(32), '--empty'], /commit cdcd.* is not in/],
      [['--to', BRANCH, '--from', v1, '--empty'], /only one of --from, --from-parent and --empty/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli(['delta', '--repo', repo, ...args]);
      assert.notEqual(r.exitCode, 0, args.join(' '));
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const r = await cli(['delta', '--repo', join(tmp.path, 'nowhere'), '--to', BRANCH]);
    assert.match(r.stderr, /not an OSTree repository/);
    assert.deepEqual(filesUnder(join(repo, 'deltas')), deltasBefore);

    // A repository missing an object the commit needs.
    const broken = join(tmp.path, 'server-broken');
    cpSync(repo, broken, { recursive: true });
    rmSync(join(broken, 'deltas'), { recursive: true });
    const lib = (await ostree(['ls', `--repo=${broken}`, '-C', BRANCH, '/usr/lib/libdemo.so.1'])).trim().split(/\s+/)[4];
    rmSync(join(broken, 'objects', lib.slice(0, 2), `${lib.slice(2)}.filez`));
    const m = await cli(['delta', '--repo', broken, '--to', BRANCH, '--empty']);
    assert.notEqual(m.exitCode, 0);
    assert.match(m.stderr, /is incomplete: content object [0-9a-f]{64} \(\/[^)]+\) is missing/);
    assert.deepEqual(filesUnder(join(broken, 'deltas')), []);
    assert.deepEqual(readdirSync(join(broken, 'tmp')).filter((n) => n.startsWith('yocto-ostree-staging')), []);
  });

  it('prune --keep 2 drops v1, its objects and the deltas from it; clients still update', async () => {
    const copy = join(tmp.path, 'server-prune');
    cpSync(repo, copy, { recursive: true });
    const v3 = (await commit(3, copy)).commit;
    const r = await cli(['prune', '--repo', copy, '--keep', '2', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.deletedCommits, [v1]);
    assert.deepEqual(report.deletedDeltas, [`${v1}-${v2}`]);
    assert.ok(report.deletedObjects > 1 && report.freedBytes > 0);
    assert.deepEqual((await ostree(['static-delta', 'list', `--repo=${copy}`])).trim().split('\n').sort(), [v2, `${v2}-${v3}`].sort());
    assert.doesNotMatch(await ostree(['summary', '--view', `--repo=${copy}`]), new RegExp(v1));
    assert.equal(filesUnder(join(copy, 'delta-indexes')).length, 2, 'indexes for v2 and v3');
    await assert.rejects(ostree(['show', `--repo=${copy}`, v1]));
    const pruneServer = await serveDirectory(copy);
    try {
      const client = await makeClient(tmp.path, 'client-prune', pruneServer.url);
      assert.equal((await client.pull(`${BRANCH}@${v2}`, ['--require-static-deltas'])).exitCode, 0);
      const up = await client.pull(BRANCH, ['--require-static-deltas']);
      assert.equal(up.exitCode, 0, up.stderr);
      assert.equal((await client.fsck()).exitCode, 0);
      assert.equal(await client.revParse(BRANCH), v3);
    } finally {
      await pruneServer.close();
    }
  });
});
