import assert from 'node:assert/strict';
import { decodeVariant, encodeVariant, isNormalForm, Variant, type GvValue } from '../../src/gvariant/index.js';
import { offsetWidthFor } from '../../src/gvariant/serialize.js';

const hex = (b: Buffer): string => b.toString('hex');
const roundTrip = (sig: string, v: GvValue): Buffer => {
  const bytes = encodeVariant(sig, v);
  assert.deepEqual(decodeVariant(sig, bytes), v, `round trip of ${sig}`);
  assert.ok(isNormalForm(sig, bytes), `${sig} is in normal form`);
  return bytes;
};

describe('GVariant', () => {
  it('serializes basic types little-endian', () => {
    assert.equal(hex(roundTrip('u', 0x01020304)), '04030201');
    assert.equal(hex(roundTrip('t', 1n)), '0100000000000000');
    assert.equal(hex(roundTrip('b', true)), '01');
    assert.equal(hex(roundTrip('s', '')), '00');
    assert.equal(hex(roundTrip('s', 'ab')), '616200');
    assert.equal(hex(roundTrip('y', 7)), '07');
    assert.equal(hex(roundTrip('x', -2n)), 'feffffffffffffff');
  });

  it('frames variable-size tuples with reversed end offsets', () => {
    // (ss) "a","bc": body 61 00 62 63 00, one offset (end of the first member) = 2.
    assert.equal(hex(roundTrip('(ss)', ['a', 'bc'])), '610062630002');
    // Fixed-size tuple (uy) is padded to its alignment: 4 + 1 → 8.
    assert.equal(hex(roundTrip('(uy)', [1, 2])), '0100000002000000');
    assert.equal(hex(roundTrip('()', [])), '00');
  });

  it('frames arrays of variable-size elements with forward end offsets', () => {
    assert.equal(hex(roundTrip('as', ['a', 'bc'])), '6100626300' + '0205');
    assert.equal(hex(roundTrip('as', [])), '');
    assert.equal(hex(roundTrip('au', [1, 2])), '0100000002000000');
    assert.equal(hex(roundTrip('ay', Buffer.from([1, 2, 3]))), '010203');
  });

  it('writes variants as value, NUL, type string, aligned to 8', () => {
    assert.equal(hex(roundTrip('v', new Variant('s', 'x'))), '78000073');
    // {sv} "k" → <uint32 5>: key, pad to 4 inside the entry is not needed for v (align 8): pad to 8.
    assert.equal(hex(roundTrip('{sv}', ['k', new Variant('u', 5)])), '6b00000000000000' + '0500000000' + '75' + '02');
  });

  it('handles maybe types', () => {
    assert.equal(hex(roundTrip('ms', null)), '');
    assert.equal(hex(roundTrip('ms', 'a')), '610000');
    assert.equal(hex(roundTrip('mu', 3)), '03000000');
  });

  it('picks the smallest framing offset width', () => {
    assert.equal(offsetWidthFor(250, 5), 1);
    assert.equal(offsetWidthFor(251, 5), 2);
    assert.equal(offsetWidthFor(0xfff0, 7), 2);
    assert.equal(offsetWidthFor(0xfff0, 8), 4);
    // A 300-element array of 1-char strings needs 2-byte offsets.
    const big = Array.from({ length: 300 }, () => 'a');
    const bytes = roundTrip('as', big);
    assert.equal(bytes.length, 600 + 600);
  });

  it('round-trips the nested types ostree uses', () => {
    roundTrip('(a{sv}aya(say)sstayay)', [
      [['version', new Variant('s', '1.0')], ['ostree.ref-binding', new Variant('as', ['a/b'])]],
      Buffer.alloc(0),
      [],
      'subject',
      'body',
      123n,
      Buffer.alloc(32, 1),
      Buffer.alloc(32, 2),
    ]);
    roundTrip('(a(say)a(sayay))', [[['f', Buffer.alloc(32, 3)]], [['d', Buffer.alloc(32, 4), Buffer.alloc(32, 5)]]]);
    roundTrip('(a(s(taya{sv}))a{sv})', [[['r', [174n, Buffer.alloc(32, 6), [['k', new Variant('t', 9n)]]]]], []]);
    roundTrip('(a(uuu)aa(ayay)ayay)', [[[1, 2, 3]], [[], [[Buffer.from('user.a\0'), Buffer.from('v')]]], Buffer.from('data'), Buffer.from('ops')]);
  });

  it('rejects bytes that are not in normal form or are malformed', () => {
    assert.ok(!isNormalForm('(ss)', Buffer.from('610062630003', 'hex')));
    assert.ok(!isNormalForm('s', Buffer.from('6161', 'hex')));
    assert.throws(() => decodeVariant('u', Buffer.from('0102', 'hex')));
    assert.throws(() => decodeVariant('as', Buffer.from('6100ff', 'hex')));
  });
});
