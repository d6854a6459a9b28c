// A small rootfs that exercises everything a tar importer can meet: setuid,
// xattrs incl. security.capability, hardlinks, symlinks, non-root owners, long
// names, deep trees, empty and large files (big ones are deflated in pieces, and
// already-compressed ones and incompressible pieces stored), sticky/setgid dirs,
// device nodes.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { buildTree, packTar, type FixtureEntry } from './fixtures.js';
import { mustRun } from './run.js';

const longName = 'n'.repeat(150);
const deepDir = Array.from({ length: 24 }, (_, i) => `d${i}`).join('/');

/** Compressible text with matches across the 1 MiB pieces big files are deflated in. */
const moduleList = Array.from({ length: 90000 }, (_, i) => `kernel/drivers/module-${i % 7000}.ko: dependency ${i}\n`).join('');

export const SPECIAL_PATHS = ['dev/console', 'dev/initctl'];

export function rootfsEntries(): FixtureEntry[] {
  return [
    { path: 'bin', type: 'symlink', target: 'usr/bin' },
    { path: 'dev', type: 'dir' },
    { path: 'etc', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n' },
    { path: 'etc/shadow', type: 'file', content: 'root:*:19000::::::\n', mode: 0o640, gid: 42 },
    { path: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
    { path: 'home/user', type: 'dir', uid: 1000, gid: 1000, mode: 0o700 },
    { path: 'home/user/.profile', type: 'file', content: 'export PS1=x\n', uid: 1000, gid: 1000 },
    { path: 'srv/big-owner', type: 'file', content: 'owned by a large uid\n', uid: 200000, gid: 200001 },
    { path: 'tmp', type: 'dir', mode: 0o1777 },
    { path: 'usr/bin/su', type: 'file', content: '#!/bin/sh\necho su\n', mode: 0o4755 },
    { path: 'usr/bin/ping', type: 'file', content: 'ping binary', mode: 0o755, xattrs: { 'security.capability': '0x0100000200200000000000000000000000000000' } },
    { path: 'usr/bin/busybox', type: 'file', content: randomBytes(40000), mode: 0o755 },
    { path: 'usr/bin/sh', type: 'hardlink', target: 'usr/bin/busybox' },
    { path: 'usr/bin/ls', type: 'hardlink', target: 'usr/bin/busybox' },
    { path: 'usr/lib/os-release', type: 'file', content: 'ID=fixture\nPRETTY_NAME="Fixture OS"\n' },
    { path: 'usr/lib/empty', type: 'file', content: '' },
    { path: 'usr/lib/large.bin', type: 'file', content: randomBytes(9 << 20) },
    { path: 'usr/lib/modules.dep', type: 'file', content: moduleList },
    // A kernel image's shape: a compressible head, a compressed payload (stored
    // pieces), a compressible tail, all in one deflate stream.
    { path: 'usr/lib/firmware/image.bin', type: 'file', content: Buffer.concat([Buffer.from(moduleList.slice(0, 1536 << 10)), randomBytes(5 << 19), Buffer.from(moduleList.slice(0, 1 << 20))]) },
    // Same bytes, mode and owner, not hardlinked: two paths, one object.
    { path: 'usr/share/licenses/a/COPYING', type: 'file', content: 'Permission is hereby granted, free of charge\n' },
    { path: 'usr/share/licenses/b/COPYING', type: 'file', content: 'Permission is hereby granted, free of charge\n' },
    { path: 'usr/share/doc/fixture/changelog.gz', type: 'file', content: gzipSync('fixture (1.0) unstable; urgency=low\n') },
    { path: 'usr/share/fixture/data.tar.gz', type: 'file', content: gzipSync(randomBytes(3 << 19)) },
    { path: 'usr/lib/absolute-link', type: 'symlink', target: '/usr/lib/empty' },
    { path: 'usr/share/tagged', type: 'file', content: 'x', xattrs: { 'user.origin': 'fixture' } },
    { path: 'usr/share/setgid-dir', type: 'dir', mode: 0o2775, gid: 50 },
    { path: `usr/share/${longName}`, type: 'file', content: 'long name' },
    { path: `usr/share/${deepDir}/leaf`, type: 'file', content: 'deep' },
    { path: 'var/log', type: 'dir' },
  ];
}

/** Builds the tree under dir/root and packs dir/rootfs.tar (device nodes included when asked). */
export async function makeRootfsTar(dir: string, opts: { devices?: boolean } = {}): Promise<{ root: string; tar: string }> {
  const root = join(dir, 'root');
  await buildTree(root, rootfsEntries());
  if (opts.devices) {
    await mustRun('mknod', ['-m', '600', join(root, 'dev/console'), 'c', '5', '1']);
    await mustRun('mkfifo', ['-m', '600', join(root, 'dev/initctl')]);
  }
  const tar = await packTar(root, join(dir, opts.devices ? 'rootfs-dev.tar' : 'rootfs.tar'));
  return { root, tar };
}
