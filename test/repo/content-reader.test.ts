// Content objects read back from an archive repository: stored-block streams are
// taken apart without zlib, everything else goes through it, same bytes either way.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';
import { inflateObject } from '../../src/repo/content-reader.js';

describe('inflateObject', () => {
  const data = randomBytes(200_000);

  it('reads stored-block streams (one block, many blocks, empty) as zlib does', () => {
    for (const bytes of [data.subarray(0, 1000), data, Buffer.alloc(0)]) {
      const stored = deflateRawSync(bytes, { level: 0 });
      assert.equal((stored[0]! >> 1) & 3, 0, 'a stored block first');
      assert.deepEqual(inflateObject(stored, bytes.length), bytes);
    }
  });

  it('hands a stream with a compressed block to zlib, and a wrong size or trailing bytes too', () => {
    const text = Buffer.from('compressible '.repeat(5000));
    const mixed = Buffer.concat([deflateRawSync(data.subarray(0, 3000), { level: 0, finishFlush: constants.Z_SYNC_FLUSH }), deflateRawSync(text, { level: 9 })]);
    assert.deepEqual(inflateObject(mixed, 3000 + text.length), Buffer.concat([data.subarray(0, 3000), text]));
    assert.deepEqual(inflateObject(deflateRawSync(text), text.length), text);
    const stored = deflateRawSync(data.subarray(0, 1000), { level: 0 });
    // zlib gives the 1000 bytes, which the callers' size checks then refuse.
    assert.equal(inflateObject(stored, 999).length, 1000);
    assert.equal(inflateObject(Buffer.concat([stored, Buffer.from([1, 2, 3])]), 1000).length, 1000);
  });
});
