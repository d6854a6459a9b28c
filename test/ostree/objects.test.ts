// Objects against the worked byte examples of ostree-format.md (checked with ostree 2022.7).
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { decodeVariant, encodeVariant, GVariantFormatError, Variant } from '../../src/gvariant/index.js';
import { encodeCommit, parseCommit } from '../../src/ostree/commit.js';
import { encodeDirMeta, parseDirMeta } from '../../src/ostree/dirmeta.js';
import { compareNames, encodeDirTree, parseDirTree } from '../../src/ostree/dirtree.js';
import { encodeArchiveHeader, encodeContentHeader, parseArchiveHeader, parseContentHeader, type FileMeta } from '../../src/ostree/file-header.js';
import { encodeSummary, parseSummary } from '../../src/ostree/summary.js';
import { filenameProblem, fileModeProblem, dirModeProblem, isValidRef } from '../../src/ostree/validate.js';

const hex = (b: Buffer): string => b.toString('hex');
const file = (mode: number, over: Partial<FileMeta> = {}): FileMeta => ({ uid: 0, gid: 0, mode, symlinkTarget: '', xattrs: [], ...over });
const csum = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

describe('OSTree objects', () => {
  it('dirmeta 040755 root:root is 12 bytes, fields big-endian', () => {
    const bytes = encodeDirMeta({ uid: 0, gid: 0, mode: 0o40755, xattrs: [] });
    assert.equal(hex(bytes), '00000000' + '00000000' + '000041ed');
    assert.deepEqual(parseDirMeta(bytes), { uid: 0, gid: 0, mode: 0o40755, xattrs: [] });
  });

  it('content header of a regular file (a.txt)', () => {
    const header = encodeContentHeader(file(0o100644));
    assert.equal(hex(header), '00000012' + '00000000' + '00000000' + '00000000' + '000081a4' + '00000000' + '00' + '11');
    assert.equal(parseContentHeader(header).meta.mode, 0o100644);
  });

  it('content header of a symlink carries the target', () => {
    const header = encodeContentHeader(file(0o120777, { symlinkTarget: 'a.txt' }));
    assert.equal(hex(header), '00000017' + '00000000' + '00000000' + '00000000' + '0000a1ff' + '00000000' + '612e747874' + '00' + '16');
  });

  it('.filez of a.txt = 26-byte header + raw deflate, 42 bytes in all', () => {
    const data = Buffer.from('hello\n');
    const stored = Buffer.concat([encodeArchiveHeader(file(0o100644), data.length), deflateRawSync(data, { level: 6 })]);
    assert.equal(hex(stored), '0000001a' + '00000000' + '0000000000000006' + '00000000' + '00000000' + '000081a4' + '00000000' + '00' + '19' + 'cb48cdc9c9e70200');
    assert.equal(parseArchiveHeader(stored).size, 6);
  });

  it('xattrs are stored sorted, names with their NUL', () => {
    const meta = file(0o104755, { uid: 1000, gid: 1000, xattrs: [{ name: 'user.zz', value: Buffer.from('val') }, { name: 'user.aa', value: Buffer.from([1, 2]) }] });
    const parsed = parseContentHeader(encodeContentHeader(meta)).meta;
    assert.deepEqual(parsed.xattrs.map((x) => x.name), ['user.aa', 'user.zz']);
    assert.equal(parsed.uid, 1000);
    assert.equal(parsed.mode, 0o104755);
  });

  it('dirtree sorts entries bytewise and round-trips', () => {
    const tree = { files: [{ name: 'b', checksum: csum(1) }, { name: 'B', checksum: csum(2) }], dirs: [{ name: 'sub', treeChecksum: csum(3), metaChecksum: csum(4) }] };
    const parsed = parseDirTree(encodeDirTree(tree));
    assert.deepEqual(parsed.files.map((f) => f.name), ['B', 'b']);
    assert.deepEqual(parsed.dirs, tree.dirs);
  });

  it('dirtree: the direct decoder agrees with the generic one at every offset width, and refuses bad framing', () => {
    for (const n of [0, 1, 3, 700, 2500]) {
      const tree = {
        files: Array.from({ length: n }, (_, i) => ({ name: `f${i}-é`, checksum: csum(i % 250) })),
        dirs: Array.from({ length: Math.ceil(n / 3) }, (_, i) => ({ name: `d${i}`, treeChecksum: csum(1), metaChecksum: csum(2) })),
      };
      const bytes = encodeDirTree(tree);
      const [files, dirs] = decodeVariant('(a(say)a(sayay))', bytes) as [[string, Buffer][], [string, Buffer, Buffer][]];
      const parsed = parseDirTree(bytes);
      assert.deepEqual(parsed.files, files.map(([name, c]) => ({ name, checksum: c.toString('hex') })));
      assert.deepEqual(parsed.dirs, dirs.map(([name, t, m]) => ({ name, treeChecksum: t.toString('hex'), metaChecksum: m.toString('hex') })));
    }
    const good = encodeDirTree({ files: [{ name: 'a', checksum: csum(1) }], dirs: [] });
    assert.throws(() => parseDirTree(Buffer.alloc(0)), GVariantFormatError);
    assert.throws(() => parseDirTree(good.subarray(1)), GVariantFormatError);
    const shortChecksum = encodeVariant('(a(say)a(sayay))', [[['a', Buffer.alloc(31)]], []]);
    assert.throws(() => parseDirTree(shortChecksum), /checksum of 31 bytes/);
  });

  it('content headers and dirmetas: the in-place decoders agree with the generic one at every offset width', () => {
    const metas: FileMeta[] = [
      file(0o100644),
      file(0o120777, { symlinkTarget: 'target/é' }),
      file(0o104755, { uid: 0xfffffffe, gid: 70000, xattrs: [{ name: 'security.capability', value: Buffer.from([1, 0, 0, 2]) }, { name: 'user.empty', value: Buffer.alloc(0) }] }),
      file(0o100600, { xattrs: [{ name: 'user.big', value: Buffer.alloc(300, 7) }] }),
      file(0o100600, { xattrs: [{ name: 'user.huge', value: Buffer.alloc(70_000, 9) }] }),
    ];
    for (const meta of metas) {
      for (const size of [0, 1, 2 ** 32 + 5]) {
        const bytes = encodeArchiveHeader(meta, size);
        const generic = decodeVariant('(tuuuusa(ayay))', bytes.subarray(8)) as [bigint, number, number, number, number, string, [Buffer, Buffer][]];
        const parsed = parseArchiveHeader(bytes);
        assert.equal(parsed.size, size);
        assert.deepEqual({ ...parsed.meta, xattrs: [] }, { ...meta, xattrs: [] });
        assert.deepEqual(parsed.meta.xattrs, generic[6].map(([n, v]) => ({ name: n.toString('utf8', 0, n.length - 1), value: v })));
        assert.equal(parsed.contentOffset, bytes.length);
      }
      assert.deepEqual(parseContentHeader(encodeContentHeader(meta)).meta, parseArchiveHeader(encodeArchiveHeader(meta, 3)).meta);
      const dirMeta = { uid: meta.uid, gid: meta.gid, mode: 0o40755, xattrs: meta.xattrs };
      assert.deepEqual(parseDirMeta(encodeDirMeta(dirMeta)), dirMeta);
    }
    const good = encodeArchiveHeader(metas[2]!, 10);
    assert.throws(() => parseArchiveHeader(Buffer.concat([good.subarray(0, 8), good.subarray(9)])), /truncated|range|NUL/);
    assert.throws(() => parseArchiveHeader(good.subarray(0, 20)), /truncated/);
    assert.throws(() => parseDirMeta(Buffer.alloc(8)), GVariantFormatError);
  });

  it('names compare as their UTF-8 bytes (strcmp), also past the surrogates and on common prefixes', () => {
    const names = ['a', 'B', 'b', 'ab', 'a.b', 'a-b', '', 'é', 'e\u0301', '\u00ff', '\ud7ff', '\ue000', '\uffff', '\ud83d\ude00', '\ud83d\ude01', 'x\ud83d\ude00', 'x\uffff', 'xy'];
    const bytewise = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    for (const a of names) for (const b of names) assert.equal(Math.sign(compareNames(a, b)), bytewise(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });

  it('commit layout matches the worked example (134 bytes, BE timestamp, framing 60 33 2f 2a 2a 2a)', () => {
    const commit = {
      metadata: [['ostree.ref-binding', new Variant('as', ['test/x86_64'])]] as [string, Variant][],
      parent: null,
      subject: 'subj',
      body: 'bdy',
      timestamp: 1672531200,
      rootTree: csum(0xb1),
      rootMeta: csum(0x44),
    };
    const bytes = encodeCommit(commit);
    assert.equal(bytes.length, 134);
    assert.equal(hex(bytes.subarray(0x38, 0x40)), '0000000063b0cd00');
    assert.equal(hex(bytes.subarray(0x80)), '60332f2a2a2a');
    assert.deepEqual(parseCommit(bytes), commit);
  });

  it('summary: commit size little-endian, timestamp big-endian', () => {
    const bytes = encodeSummary({ refs: [{ name: 'os/stable', commit: csum(7), commitSize: 174, timestamp: 1675209600, version: '2.0' }], metadata: [] });
    assert.ok(bytes.includes(Buffer.from('ae00000000000000', 'hex')));
    assert.ok(bytes.includes(Buffer.from('0000000063d9ab80', 'hex')));
    assert.deepEqual(parseSummary(bytes).refs[0], { name: 'os/stable', commit: csum(7), commitSize: 174, timestamp: 1675209600, version: '2.0' });
  });

  it('validates names, modes and refs as libostree does', () => {
    assert.equal(filenameProblem('ok'), null);
    assert.ok(filenameProblem('..'));
    assert.ok(filenameProblem('a/b'));
    assert.ok(filenameProblem('x'.repeat(256)));
    assert.equal(fileModeProblem(0o104755), null);
    assert.ok(fileModeProblem(0o020644)); // char device
    assert.ok(dirModeProblem(0o100755));
    assert.ok(isValidRef('imx6qdlsabresd/stable-1.0'));
    assert.ok(!isValidRef('-bad'));
    assert.ok(!isValidRef('a//b'));
  });
});
