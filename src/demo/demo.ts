// `npm run demo`: builds the sample rootfs tarball in-process, then runs the CLI
// on it the way a user would, printing each command and what it made.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSampleInitramfs, writeSampleRootfs } from './sample-rootfs.js';

const cliPath = fileURLToPath(new URL('../../bin/main.js', import.meta.url));
const out = resolve(process.argv[2] ?? 'demo-out');
const show = (p: string): string => relative(process.cwd(), p) || '.';

function step(args: string[]): string {
  const quoted = args.map((a) => (/[\s"']/.test(a) ? `'${a}'` : a));
  process.stdout.write(`\n$ yocto-ostree ${quoted.join(' ')}\n`);
  const stdout = execFileSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(stdout.replace(/^/gm, '  '));
  return stdout.trim();
}

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rootfs = join(out, 'core-image-minimal-imx6qdlsabresd.rootfs.tar.gz');
  await writeSampleRootfs(rootfs);
  process.stdout.write(`Wrote a sample Yocto rootfs: ${show(rootfs)}\n`);

  const initramfs = join(out, 'initramfs-ostree-image-imx6qdlsabresd.cpio.gz');
  await writeSampleInitramfs(initramfs);
  process.stdout.write(`Wrote a sample initramfs: ${show(initramfs)}\n`);

  const repo = join(out, 'ostree_repo');
  step(['init', '--repo', show(repo)]);
  const commit = step([
    'commit', '--repo', show(repo), '--branch', 'imx6qdlsabresd', '--rootfs', show(rootfs),
    '--initramfs', show(initramfs), '--devicetree', 'imx6q-sabresd.dtb',
    '--subject', 'Commit-id: core-image-minimal', '--version', '4.0', '--timestamp', '1700000000',
  ]);
  const image = join(out, 'core-image-minimal-imx6qdlsabresd.otaimg');
  step(['otaimg', '--repo', show(repo), '--branch', 'imx6qdlsabresd', '--os', 'poky', '--output', show(image)]);
  step(['inspect', show(image)]);

  process.stdout.write(`
Committed ${commit} to branch imx6qdlsabresd of ${show(repo)}.
Look at it with the real ostree CLI, for example:
  ostree log --repo=${show(repo)} imx6qdlsabresd
  ostree ls -R --repo=${show(repo)} imx6qdlsabresd
  ostree fsck --repo=${show(repo)}
Serve ${show(repo)} over HTTP (any static web server) and devices can pull it.
${show(image)} is the ext4 sysroot a device is flashed with:
  e2fsck -fn ${show(image)}
  debugfs -R 'cat /boot/loader/uEnv.txt' ${show(image)}
`);
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
