import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { deflateLevel, looksIncompressible } from '../../src/commit/deflate-level.js';

describe('deflateLevel', () => {
  it('stores content that is already compressed (gzip, xz, zstd, bzip2, png, jpeg)', () => {
    const heads = [gzipSync('x'), Buffer.from('fd377a585a000004', 'hex'), Buffer.from('28b52ffd2400', 'hex'), Buffer.from('BZh91AY&SY'), Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('ffd8ffe000104a46', 'hex')];
    for (const head of heads) assert.equal(deflateLevel(head.subarray(0, 8), 6), 0, head.toString('hex'));
  });

  it("gives everything else the repository's level, short content included", () => {
    for (const head of [Buffer.from('#!/bin/sh\n'), Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from([0x1f]), Buffer.alloc(0)]) assert.equal(deflateLevel(head, 9), 9);
  });

  it('stores content with the byte entropy of compressed data, whatever its start', () => {
    const payload = deflateRawSync(randomBytes(200 << 10).toString('base64'), { level: 9 });
    assert.equal(deflateLevel(Buffer.concat([Buffer.from('MZ\0\0'), payload]), 6), 0);
    assert.equal(deflateLevel(randomBytes(1 << 20), 6), 0);
  });

  it('compresses text, binaries, and small random content', () => {
    const text = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i} of a text\n`).join(''));
    assert.equal(looksIncompressible(text), false);
    const binary = Buffer.concat([randomBytes(32 << 10), Buffer.alloc(64 << 10), randomBytes(32 << 10)]);
    assert.equal(looksIncompressible(binary), false);
    assert.equal(looksIncompressible(randomBytes(60 << 10)), false);
  });
});
