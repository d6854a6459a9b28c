import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { libdeflateLevel, WholeDeflater } from '../../src/commit/whole-deflate.js';

describe('WholeDeflater (libdeflate)', () => {
  it('writes raw deflate streams zlib inflates, at every level, empty to heap-growing sizes', async () => {
    const deflater = await WholeDeflater.load();
    const text = Buffer.from(Array.from({ length: 1500000 }, (_, i) => `entry ${i % 977}\n`).join(''));
    const inputs = [Buffer.alloc(0), Buffer.from('x'), randomBytes(100000), text, Buffer.concat([text, randomBytes(4 << 20)])];
    for (const level of [0, 1, 4, 6]) {
      for (const input of inputs) {
        const out = deflater.deflate(input, level);
        assert.ok(inflateRawSync(out).equals(input), `level ${level}, ${input.length} bytes`);
      }
    }
  });

  it("leaves no emscripten handler on the process (the CLI's error handling stays in charge)", async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    await WholeDeflater.load();
    assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], before);
  });

  it("maps a repository's zlib level to libdeflate's (stored stays stored)", () => {
    assert.deepEqual([0, 1, 2, 3, 6, 9].map(libdeflateLevel), [0, 1, 1, 1, 4, 7]);
  });
});
