// A small Yocto-like rootfs written as a tarball in-process with tar-stream, for
// the demo: busybox-style links, /etc, /var content, a kernel with its device
// tree and modules directory, a setuid binary and a file capability.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tarStream from 'tar-stream';

export const SAMPLE_KERNEL_VERSION = '6.1.55-yocto-standard';

type Entry = { name: string; type?: 'directory' | 'symlink' | 'link'; mode?: number; uid?: number; gid?: number; content?: string | Buffer; linkname?: string; pax?: Record<string, string> };

function sampleEntries(): Entry[] {
  const kver = SAMPLE_KERNEL_VERSION;
  const dirs = ['bin', 'boot', 'dev', 'etc', 'etc/init.d', 'home', 'home/root', 'lib', 'media', 'mnt', 'proc', 'run', 'sbin', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/lib', `usr/lib/modules`, `usr/lib/modules/${kver}`, 'usr/sbin', 'usr/share', 'var', 'var/lib', 'var/log', 'var/volatile'];
  const entries: Entry[] = [{ name: './', type: 'directory' }];
  for (const d of dirs) entries.push({ name: `./${d}/`, type: 'directory', mode: d === 'tmp' ? 0o1777 : d === 'home/root' ? 0o700 : 0o755 });
  entries.push(
    { name: './etc/hostname', content: 'imx6qdlsabresd\n' },
    { name: './etc/passwd', content: 'root:x:0:0:root:/home/root:/bin/sh\nmessagebus:x:999:998::/var/lib/dbus:/bin/false\n' },
    { name: './etc/fstab', content: '/dev/root / auto defaults 1 1\nproc /proc proc defaults 0 0\n' },
    { name: './etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { name: './usr/lib/os-release', content: 'ID=poky\nNAME="Poky (Yocto Project Reference Distro)"\nVERSION_ID=4.0\nPRETTY_NAME="Poky 4.0 (kirkstone)"\n' },
    { name: './bin/busybox', mode: 0o755, content: Buffer.alloc(64 * 1024, 0x90) },
    { name: './bin/sh', type: 'link', linkname: './bin/busybox' },
    { name: './bin/ls', type: 'symlink', linkname: 'busybox' },
    { name: './bin/su', mode: 0o4755, content: '#!/bin/sh\n' },
    { name: './usr/bin/ping', mode: 0o755, content: 'ping', pax: { 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' } },
    { name: './var/lib/dbus-machine-id', content: '0123456789abcdef\n', uid: 999, gid: 998 },
    { name: './var/log/boot.log', content: 'sample log\n' },
    { name: `./boot/zImage-${kver}`, mode: 0o644, content: Buffer.concat([Buffer.from('ARM zImage sample '), Buffer.alloc(256 * 1024, 0x5a)]) },
    { name: './boot/zImage', type: 'symlink', linkname: `zImage-${kver}` },
    { name: './boot/imx6q-sabresd.dtb', content: Buffer.concat([Buffer.from([0xd0, 0x0d, 0xfe, 0xed]), Buffer.alloc(4096, 1)]) },
    { name: `./usr/lib/modules/${kver}/modules.dep`, content: '' },
  );
  return entries;
}

/** Writes the sample rootfs as a gzip-compressed POSIX tarball. */
export async function writeSampleRootfs(file: string): Promise<void> {
  const pack = tarStream.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(file));
  for (const e of sampleEntries()) {
    const content = e.content === undefined ? undefined : Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content);
    const header = { name: e.name, type: e.type ?? 'file', mode: e.mode ?? (e.type === 'symlink' ? 0o777 : 0o644), uid: e.uid ?? 0, gid: e.gid ?? 0, mtime: new Date(0), linkname: e.linkname, pax: e.pax };
    pack.entry(header as tarStream.Header, content as Buffer);
  }
  pack.finalize();
  await done;
}

/** A stand-in initramfs (a gzip'ed cpio "newc" archive holding one file), as DEPLOY_DIR_IMAGE has. */
export async function writeSampleInitramfs(file: string): Promise<void> {
  const name = Buffer.from('init\0');
  const body = Buffer.from('#!/bin/sh\nexec /usr/lib/ostree/ostree-prepare-root /sysroot\n');
  const field = (n: number): string => n.toString(16).padStart(8, '0');
  const header = (nameSize: number, size: number, mode: number): string =>
    '070701' + [1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameSize, 0].map(field).join('');
  const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);
  const entry = (fname: Buffer, data: Buffer, mode: number): Buffer => {
    const h = Buffer.from(header(fname.length, data.length, mode));
    return Buffer.concat([h, fname, pad4(h.length + fname.length), data, pad4(data.length)]);
  };
  const cpio = Buffer.concat([entry(name, body, 0o100755), entry(Buffer.from('TRAILER!!!\0'), Buffer.alloc(0), 0)]);
  await pipeline(Readable.from([cpio]), createGzip(), createWriteStream(file));
}
