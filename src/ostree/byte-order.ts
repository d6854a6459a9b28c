// ostree stores some integers big-endian *inside* little-endian GVariants: it
// byte-swaps the value before serializing (ostree-format.md §1.1). These helpers
// do that swap, and are their own inverse.

export function swap32(n: number): number {
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

export function swap64(n: bigint): bigint {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b.readBigUInt64BE();
}
