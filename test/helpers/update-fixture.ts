// Three versions of a small rootfs for update tests (deltas, signing, prune):
// v2 patches a binary-like library a little (a bsdiff case), replaces an
// incompressible kernel that shares only its head with v1, edits, adds and
// removes files and symlinks; v3 changes one file. Content is generated from a
// seeded PRNG so every run builds the same bytes.
import { join } from 'node:path';
import { buildTree, packTar, type FixtureEntry } from './fixtures.js';

/** xorshift32: deterministic pseudo-random bytes. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Random bytes: what compressed kernels look like. */
function noise(size: number, seed: number): Buffer {
  const next = prng(seed);
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) b.writeUInt32LE(next(), Math.min(i, size - 4));
  return b;
}

/** Structured, compressible "machine code": words from a small vocabulary. */
function codeLike(size: number, seed: number): Buffer {
  const next = prng(seed);
  const vocabulary = Array.from({ length: 64 }, () => noise(4 + (next() % 12), next()));
  const parts: Buffer[] = [];
  let n = 0;
  while (n < size) {
    const w = vocabulary[next() % vocabulary.length];
    parts.push(w);
    n += w.length;
  }
  return Buffer.concat(parts).subarray(0, size);
}

/** `base` with a few bytes changed and a block inserted: a rebuilt library. */
function patched(base: Buffer, seed: number): Buffer {
  const next = prng(seed);
  const out = Buffer.from(base);
  for (let i = 0; i < 200; i++) out[next() % out.length] = next() & 0xff;
  const at = Math.floor(out.length / 2);
  return Buffer.concat([out.subarray(0, at), codeLike(1024, seed + 1), out.subarray(at)]);
}

const LIB_V1 = codeLike(256 * 1024, 1);
const KERNEL_HEAD = noise(8 * 1024, 2);

function docs(count: number, from = 0): FixtureEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `usr/share/doc/pkg${from + i}/README`,
    type: 'file' as const,
    content: `Package ${from + i}\n${'This package does useful things. '.repeat(20 + i)}\n`,
  }));
}

function common(): FixtureEntry[] {
  return [
    { path: 'bin', type: 'symlink', target: 'usr/bin' },
    { path: 'etc/hostname', type: 'file', content: 'device\n' },
    { path: 'usr/bin/tool', type: 'file', content: codeLike(64 * 1024, 3), mode: 0o755 },
    { path: 'usr/bin/tool-alias', type: 'hardlink', target: 'usr/bin/tool' },
    { path: 'usr/bin/su', type: 'file', content: '#!/bin/sh\necho su\n', mode: 0o4755 },
    { path: 'usr/lib/empty', type: 'file', content: '' },
    { path: 'usr/share/tagged', type: 'file', content: 'x', xattrs: { 'user.origin': 'fixture' } },
    { path: 'var/log', type: 'dir' },
  ];
}

export function versionEntries(version: 1 | 2 | 3): FixtureEntry[] {
  if (version === 1) {
    return [
      ...common(),
      { path: 'boot/vmlinuz', type: 'file', content: Buffer.concat([KERNEL_HEAD, noise(120 * 1024, 10)]) },
      { path: 'etc/app.conf', type: 'file', content: 'level=1\nname=demo\n' },
      { path: 'usr/lib/libdemo.so.1', type: 'file', content: LIB_V1, mode: 0o755 },
      { path: 'usr/lib/old-only', type: 'file', content: 'removed in v2\n' },
      ...docs(30),
    ];
  }
  const v2: FixtureEntry[] = [
    ...common(),
    { path: 'boot/vmlinuz', type: 'file', content: Buffer.concat([KERNEL_HEAD, noise(120 * 1024, 20)]) },
    { path: 'etc/app.conf', type: 'file', content: 'level=2\nname=demo\nnew=yes\n' },
    { path: 'usr/lib/libdemo.so.1', type: 'file', content: patched(LIB_V1, 4), mode: 0o755 },
    { path: 'usr/lib/libdemo.so', type: 'symlink', target: 'libdemo.so.1' },
    ...docs(30),
    ...docs(10, 30),
  ];
  if (version === 2) return v2;
  return v2.map((e) => (e.path === 'etc/app.conf' ? { ...e, content: 'level=3\nname=demo\nnew=yes\n' } : e));
}

/** Builds dir/vN (the tree) and returns dir/vN.tar. */
export async function makeVersionTar(dir: string, version: 1 | 2 | 3): Promise<string> {
  const root = join(dir, `v${version}`);
  await buildTree(root, versionEntries(version));
  return packTar(root, join(dir, `v${version}.tar`));
}
