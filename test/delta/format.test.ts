// The delta building blocks on their own: suffix arrays against a naive sort,
// patches that rebuild their input exactly, and the superblock, part and name
// encodings round-tripping.
import assert from 'node:assert/strict';
import { blockPatch } from '../../src/delta/block-match.js';
import { bsdiff } from '../../src/delta/bsdiff.js';
import { bspatch } from '../../src/delta/bspatch.js';
import { suffixArray } from '../../src/delta/suffix-array.js';
import { checksumToModifiedBase64, deltaDir, deltaIdFromDir, deltaIndexPath, modifiedBase64ToChecksum, parseDeltaName } from '../../src/ostree/delta-name.js';
import { decodeOps, encodePartPayload, OP, OpWriter, parsePartPayload } from '../../src/ostree/delta-part.js';
import { encodeSuperblock, parseSuperblock } from '../../src/ostree/delta-superblock.js';
import { encodeCommit } from '../../src/ostree/commit.js';
import { encodeVarint, readVarint } from '../../src/ostree/varint.js';

function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) >>> 0;
    return x >>> 8;
  };
}

function naiveSuffixArray(t: Uint8Array): number[] {
  return [...t.keys()].sort((a, b) => Buffer.compare(Buffer.from(t.subarray(a)), Buffer.from(t.subarray(b))));
}

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('delta building blocks', () => {
  it('builds suffix arrays equal to a naive sort (small and repetitive alphabets)', () => {
    const next = rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const alphabet = [1, 2, 3, 4, 256][trial % 5];
      const t = Uint8Array.from({ length: 1 + (next() % 90) }, () => next() % alphabet);
      assert.deepEqual(Array.from(suffixArray(t)), naiveSuffixArray(t), `text ${Array.from(t)}`);
    }
  });

  it('bsdiff and block patches rebuild the new file exactly', () => {
    const next = rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const alphabet = trial % 2 ? 4 : 256;
      const old = Buffer.from(Uint8Array.from({ length: next() % 400 }, () => next() % alphabet));
      const cut = old.length ? next() % old.length : 0;
      const newer = Buffer.concat([old.subarray(cut), Buffer.from(Uint8Array.from({ length: next() % 60 }, () => next() % alphabet)), old.subarray(0, cut)]);
      for (let i = 0; i < 3 && newer.length; i++) newer[next() % newer.length] ^= 0x5a;
      assert.ok(bspatch(old, bsdiff(old, newer), newer.length).equals(newer), `bsdiff trial ${trial}`);
      assert.ok(bspatch(old, blockPatch(old, newer), newer.length).equals(newer), `block trial ${trial}`);
    }
  });

  it('makes a small patch for a small change, and the patch is strict', () => {
    const next = rng(3);
    const old = Buffer.from(Uint8Array.from({ length: 100_000 }, () => next() % 256));
    const newer = Buffer.from(old);
    newer.writeUInt32LE(0xdeadbeef, 5000);
    const patch = bsdiff(old, newer);
    // 3 control blocks at most and a diff run that is almost all zeros.
    assert.ok(patch.filter((b) => b !== 0).length < 200, `patch has ${patch.filter((b) => b !== 0).length} non-zero bytes`);
    assert.throws(() => bspatch(old, patch.subarray(0, patch.length - 1), newer.length), /truncated/);
    assert.throws(() => bspatch(old, Buffer.concat([patch, Buffer.alloc(1)]), newer.length), /left over/);
  });

  it('encodes varints as LEB128', () => {
    assert.deepEqual([...encodeVarint(0)], [0]);
    assert.deepEqual([...encodeVarint(300)], [0xac, 0x02]);
    for (const v of [1, 127, 128, 2 ** 31, 2 ** 40 + 5]) assert.deepEqual(readVarint(encodeVarint(v), 0), [v, encodeVarint(v).length]);
  });

  it('names deltas as ostree does (modified base64, "_" for "/")', () => {
    const from = 'ff'.repeat(32);
    const to = '0f'.repeat(32);
    assert.equal(checksumToModifiedBase64(from), '_'.repeat(42) + '8');
    assert.equal(modifiedBase64ToChecksum(checksumToModifiedBase64(to)), to);
    const dir = deltaDir({ from, to });
    assert.match(dir, /^deltas\/__\/_{40}8-/);
    const [, first, second] = dir.split('/');
    assert.deepEqual(deltaIdFromDir(first, second), { from, to });
    assert.deepEqual(parseDeltaName(`${from}-${to}`), { from, to });
    assert.deepEqual(parseDeltaName(to), { from: null, to });
    assert.match(deltaIndexPath(to), /^delta-indexes\/Dw\/[A-Za-z0-9+_]{41}\.index$/);
  });

  it('round-trips a superblock and a part payload', () => {
    const commit = encodeCommit({ metadata: [], parent: null, subject: 's', body: '', timestamp: 1700000000, rootTree: A, rootMeta: B });
    const sb = {
      metadata: [],
      timestamp: 1700000000,
      from: A,
      to: B,
      commit,
      parts: [{ version: 0, checksum: A, size: 10, usize: 20, objects: [{ type: 'dirtree' as const, checksum: B }, { type: 'file' as const, checksum: A }] }],
      fallbacks: [{ type: 'file' as const, checksum: B, size: 5_000_000, usize: 6_000_000 }],
    };
    const parsed = parseSuperblock(encodeSuperblock(sb));
    assert.deepEqual({ ...parsed, metadata: [] }, sb);
    assert.equal(parsed.metadata.find(([k]) => k === 'ostree.endianness')?.[1].value, 'l'.charCodeAt(0));

    const ops = new OpWriter();
    ops.op(OP.OPEN_SPLICE_AND_CLOSE, 3, 0);
    ops.op(OP.OPEN_SPLICE_AND_CLOSE, 0, 0, 4, 3);
    const payload = { modes: [{ uid: 0, gid: 0, mode: 0o100644 }], xattrs: [[{ name: 'user.a', value: Buffer.from('v') }]], data: Buffer.from('abcdefg'), ops: ops.finish() };
    const back = parsePartPayload(encodePartPayload(payload));
    assert.deepEqual(back, payload);
    assert.deepEqual(decodeOps(back.ops, (i) => i === 0), [
      { code: OP.OPEN_SPLICE_AND_CLOSE, args: [3, 0] },
      { code: OP.OPEN_SPLICE_AND_CLOSE, args: [0, 0, 4, 3] },
    ]);
  });
});
