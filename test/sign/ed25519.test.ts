// ed25519 signing. Debian's ostree 2022.7 is built without ed25519, so the
// signatures are checked with an independent verifier: the system's openssl
// (not Node's bundled copy), over the exact .commit and summary bytes; a
// one-bit change must fail.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVariant, type VardictEntries } from '../../src/gvariant/index.js';
import { vardictGet } from '../../src/ostree/vardict.js';
import { Repo } from '../../src/repo/repo.js';
import { cli, run } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { makeVersionTar } from '../helpers/update-fixture.js';

const BRANCH = 'os/main';

describe('ed25519 signatures (ostree.sign.ed25519)', function () {
  this.timeout(120_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'server');
  const secretFile = join(tmp.path, 'ed25519.secret');
  const publicFile = join(tmp.path, 'ed25519.public');
  const pemFile = join(tmp.path, 'public.pem');
  let commit: string;

  /** openssl pkeyutl: true when `signature` over `data` verifies with our public key. */
  async function opensslVerifies(data: Buffer, signature: Buffer): Promise<boolean> {
    const dataFile = join(tmp.path, 'data.bin');
    const sigFile = join(tmp.path, 'sig.bin');
    writeFileSync(dataFile, data);
    writeFileSync(sigFile, signature);
    const r = await run('/usr/bin/openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pemFile, '-rawin', '-in', dataFile, '-sigfile', sigFile]);
    return r.exitCode === 0 && /Signature Verified Successfully/.test(r.stdout);
  }

  function flipBit(b: Buffer, byte: number): Buffer {
    const out = Buffer.from(b);
    out[byte] ^= 0x04;
    return out;
  }

  before(async () => {
    // A key in ostree's format: base64 of libsodium's 64-byte secret key (seed ‖ public key).
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    writeFileSync(secretFile, Buffer.concat([seed, pub]).toString('base64') + '\n');
    writeFileSync(publicFile, pub.toString('base64') + '\n');
    writeFileSync(pemFile, publicKey.export({ format: 'pem', type: 'spki' }));
    assert.equal((await cli(['init', '--repo', repo])).exitCode, 0);
    const r = await cli(['commit', '--no-prepare', '--repo', repo, '--branch', BRANCH, '--rootfs', await makeVersionTar(tmp.path, 1), '--timestamp', '1700000001', '--json', '--set', `OSTREE_SIGN_KEY=${secretFile}`, '--set', `OSTREE_SIGN_PUBKEY=${publicFile}`]);
    assert.equal(r.exitCode, 0, r.stderr);
    commit = JSON.parse(r.stdout).commit;
  });
  after(() => tmp.remove());

  it('signs the .commit bytes; openssl verifies, and a one-bit change fails', async () => {
    const store = Repo.open(repo);
    const meta = decodeVariant('a{sv}', readFileSync(store.objectPath(commit, 'commitmeta'))) as VardictEntries;
    const sigs = vardictGet(meta, 'ostree.sign.ed25519') as Buffer[];
    assert.equal(sigs.length, 1);
    assert.equal(sigs[0].length, 64);
    const bytes = readFileSync(store.objectPath(commit, 'commit'));
    assert.ok(await opensslVerifies(bytes, sigs[0]));
    assert.ok(!(await opensslVerifies(flipBit(bytes, 10), sigs[0])), 'changed commit');
    assert.ok(!(await opensslVerifies(bytes, flipBit(sigs[0], 33))), 'changed signature');
  });

  it('signs the summary (summary.sig); openssl verifies, and a one-bit change fails', async () => {
    const summary = readFileSync(join(repo, 'summary'));
    const sig = (vardictGet(decodeVariant('a{sv}', readFileSync(join(repo, 'summary.sig'))) as VardictEntries, 'ostree.sign.ed25519') as Buffer[])[0];
    assert.ok(await opensslVerifies(summary, sig));
    assert.ok(!(await opensslVerifies(flipBit(summary, summary.length - 1), sig)));
  });

  it('exports the public key in ostree trusted-key format', async () => {
    const out = join(tmp.path, 'exported.ed25519');
    const r = await cli(['sign', '--export-sign-pubkey', out, '--set', `OSTREE_SIGN_KEY=${secretFile}`]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(publicFile, 'utf8'));
  });

  it('refuses a secret key that does not match OSTREE_SIGN_PUBKEY', async () => {
    const other = join(tmp.path, 'other.public');
    writeFileSync(other, Buffer.alloc(32, 7).toString('base64') + '\n');
    const r = await cli(['sign', '--repo', repo, '--set', `OSTREE_SIGN_KEY=${secretFile}`, '--set', `OSTREE_SIGN_PUBKEY=${other}`]);
    assert.notEqual(r.exitCode, 0);
    assert.match(r.stderr, /is not in .*other.public/);
  });
});
