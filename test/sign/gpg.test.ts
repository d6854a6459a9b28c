// GPG signing, judged by the real client: with our exported public key
// imported and gpg-verify + gpg-verify-summary on, pulls (loose and through a
// delta) verify; a tampered signature, delta part or summary makes them fail.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { decodeVariant, Variant, type VardictEntries } from '../../src/gvariant/index.js';
import { listDeltas, readSuperblock, superblockPath } from '../../src/delta/delta-store.js';
import { deltaCommitmetaKey } from '../../src/ostree/delta-name.js';
import { encodeSuperblock } from '../../src/ostree/delta-superblock.js';
import { vardictGet, vardictSet } from '../../src/ostree/vardict.js';
import { Repo } from '../../src/repo/repo.js';
import { GpgSigner } from '../../src/sign/gpg.js';
import { regenerateSignedSummary } from '../../src/sign/summary-signature.js';
import { makeClient } from '../helpers/ostree-client.js';
import { cli, mustRun } from '../helpers/run.js';
import { serveDirectory } from '../helpers/static-server.js';
import { makeTempDir } from '../helpers/tmp.js';
import { makeVersionTar } from '../helpers/update-fixture.js';

const BRANCH = 'os/main';

function flipByte(file: string, at: (bytes: Buffer) => number): void {
  const bytes = readFileSync(file);
  bytes[at(bytes)] ^= 0x01;
  writeFileSync(file, bytes);
}

describe('GPG signatures, verified by ostree 2022.7', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'server');
  const keyFile = join(tmp.path, 'secret.asc');
  const passFile = join(tmp.path, 'passphrase');
  const pubFile = join(tmp.path, 'public.asc');
  const signing = (): string[] => ['--set', `OSTREE_GPG_KEY=${keyFile}`, '--set', `OSTREE_GPG_PASSPHRASE_FILE=${passFile}`];
  let v1: string;
  let v2: string;

  /** Serves `dir` and pulls BRANCH into a client holding v1 that trusts our key. */
  async function pullFrom(dir: string, name: string, flags: string[]): Promise<{ exitCode: number; stderr: string; fsck: number }> {
    const server = await serveDirectory(dir);
    try {
      const client = await makeClient(tmp.path, name, server.url, { gpgImport: pubFile });
      const first = await client.pull(`${BRANCH}@${v1}`);
      assert.equal(first.exitCode, 0, first.stderr);
      const r = await client.pull(BRANCH, flags);
      return { exitCode: r.exitCode, stderr: r.stderr, fsck: (await client.fsck()).exitCode };
    } finally {
      await server.close();
    }
  }

  function copyServer(name: string): string {
    const dir = join(tmp.path, name);
    cpSync(repo, dir, { recursive: true });
    return dir;
  }

  before(async () => {
    const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'Build Key', email: 'build@example.com' }], passphrase: 'correct horse', format: 'armored' });
    writeFileSync(keyFile, privateKey);
    writeFileSync(passFile, 'correct horse\n');
    const tars = { 1: await makeVersionTar(tmp.path, 1), 2: await makeVersionTar(tmp.path, 2) };
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    for (const v of [1, 2] as const) {
      const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', BRANCH, '--rootfs', tars[v], '--timestamp', String(1700000000 + v), '--json', ...signing()]);
      assert.equal(r.exitCode, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.signedBy.length, 1);
      if (v === 1) v1 = out.commit;
      else v2 = out.commit;
    }
    const e = await cli(['sign', '--export-gpg-key', pubFile, ...signing()]);
    assert.equal(e.exitCode, 0, e.stderr);
  });
  after(() => tmp.remove());

  it('signs the .commit bytes and the summary; gpg itself agrees', async () => {
    const meta = decodeVariant('a{sv}', readFileSync(Repo.open(repo).objectPath(v2, 'commitmeta'))) as VardictEntries;
    const [sig] = vardictGet(meta, 'ostree.gpgsigs') as Buffer[];
    writeFileSync(join(tmp.path, 'commit.sig'), sig);
    const home = join(tmp.path, 'gnupg');
    await mustRun('mkdir', ['-m', '700', home]);
    await mustRun('gpg', ['--homedir', home, '--batch', '--import', pubFile]);
    await mustRun('gpg', ['--homedir', home, '--batch', '--verify', join(tmp.path, 'commit.sig'), Repo.open(repo).objectPath(v2, 'commit')]);
    const summarySig = decodeVariant('a{sv}', readFileSync(join(repo, 'summary.sig'))) as VardictEntries;
    assert.equal((vardictGet(summarySig, 'ostree.gpgsigs') as Buffer[]).length, 1);
  });

  it('pulls verify: loose objects and through the delta', async () => {
    const loose = await pullFrom(repo, 'client-loose', ['--disable-static-deltas']);
    assert.equal(loose.exitCode, 0, loose.stderr);
    const delta = await pullFrom(repo, 'client-delta', ['--require-static-deltas']);
    assert.equal(delta.exitCode, 0, delta.stderr);
    assert.equal(delta.fsck, 0);
  });

  it('a tampered commit signature fails the pull (loose and in the delta)', async () => {
    const loose = copyServer('server-badsig');
    const metaPath = Repo.open(loose).objectPath(v2, 'commitmeta');
    const [stored] = vardictGet(decodeVariant('a{sv}', readFileSync(metaPath)) as VardictEntries, 'ostree.gpgsigs') as Buffer[];
    // The signature's last byte: inside its last MPI, not a length header gpg may not check.
    flipByte(metaPath, (b) => b.indexOf(stored) + stored.length - 1);
    const r = await pullFrom(loose, 'client-badsig', ['--disable-static-deltas']);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /signature|GPG/i);

    // The same in the superblock's copy, with the summary re-signed so that only the signature is wrong.
    const dir = copyServer('server-badsig-delta');
    const server = Repo.open(dir);
    const id = listDeltas(server).find((d) => d.to === v2 && d.from === v1)!;
    const sb = readSuperblock(server, id);
    const detached = vardictGet(sb.metadata, deltaCommitmetaKey(id)) as VardictEntries;
    const [sig] = vardictGet(detached, 'ostree.gpgsigs') as Buffer[];
    const bad = Buffer.from(sig);
    bad[bad.length - 1] ^= 0x01;
    const tampered = vardictSet(detached, 'ostree.gpgsigs', new Variant('aay', [bad]));
    writeFileSync(superblockPath(server, id), encodeSuperblock({ ...sb, metadata: vardictSet(sb.metadata, deltaCommitmetaKey(id), new Variant('a{sv}', tampered)) }));
    await regenerateSignedSummary(server, [await GpgSigner.load({ keyFile, passphraseFile: passFile })]);
    const d = await pullFrom(dir, 'client-badsig-delta', ['--require-static-deltas']);
    assert.notEqual(d.exitCode, 0);
    assert.match(d.stderr, /signature|GPG/i);
  });

  it('a tampered delta part fails the pull', async () => {
    const dir = copyServer('server-badpart');
    const server = Repo.open(dir);
    const id = listDeltas(server).find((d) => d.to === v2 && d.from === v1)!;
    flipByte(join(superblockPath(server, id), '..', '0'), (b) => Math.floor(b.length / 2));
    const r = await pullFrom(dir, 'client-badpart', ['--require-static-deltas']);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /checksum|corrupt|invalid/i);
  });

  it('a tampered summary fails the pull', async () => {
    const dir = copyServer('server-badsummary');
    flipByte(join(dir, 'summary'), (b) => b.length - 3);
    const r = await pullFrom(dir, 'client-badsummary', ['--require-static-deltas']);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /signature|GPG/i);
  });

  it('a delta made before signing is brought up to date by `sign`', async () => {
    const dir = join(tmp.path, 'server-late');
    assert.equal((await cli(['init', '--repo', dir])).exitCode, 0);
    for (const v of [1, 2] as const) {
      const r = await cli(['commit', '--no-prepare', '--repo', dir, '--branch', BRANCH, '--rootfs', join(tmp.path, `v${v}.tar`), '--timestamp', String(1700000000 + v)]);
      assert.equal(r.exitCode, 0, r.stderr);
    }
    const s = await cli(['sign', '--repo', dir, '--json', `${BRANCH}`, v1, ...signing()]);
    assert.equal(s.exitCode, 0, s.stderr);
    const signed = JSON.parse(s.stdout).signed as { commit: string; deltasUpdated: number }[];
    assert.equal(signed.find((x) => x.commit === v2)?.deltasUpdated, 1);
    const r = await pullFrom(dir, 'client-late', ['--require-static-deltas']);
    assert.equal(r.exitCode, 0, r.stderr);
    // Signing again adds nothing.
    const again = JSON.parse((await cli(['sign', '--repo', dir, '--json', BRANCH, ...signing()])).stdout);
    assert.deepEqual(again.signed[0].addedBy, []);
  });
});
