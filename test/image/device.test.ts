// Acceptance 3: a device can use and update the image. Extracted with `debugfs rdump`
// (as root; xattrs put back from the image, since rdump drops them), real ostree
// shows the deployment, fsck finds the repository clean, and deploying a second
// commit pulled with pull-local switches the boot version and keeps the first
// deployment as the rollback entry (uEnv.txt kernel_image2…).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Ext4Image } from '../../src/image/ext4-image.js';
import { readBootConfig, removeSysroot } from '../helpers/sysroot.js';
import { mustRun, ostree } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { BRANCH, commitFixture, FIRST, OS, otaimg, SECOND, type CommittedFixture } from '../sysroot/sysroot-fixture.js';

/**
 * rdump of the whole image, then what rdump loses put back from the image: xattrs,
 * and setuid/setgid bits (it chmods before it chowns, and chown clears them).
 */
async function extract(image: string, into: string): Promise<void> {
  await mustRun('mkdir', ['-p', into]);
  await mustRun('debugfs', ['-R', `rdump / ${into}`, image]);
  const img = await Ext4Image.open(image);
  try {
    const visit = async (path: string): Promise<void> => {
      const node = (await img.lstat(path))!;
      for (const x of node.xattrs) await mustRun('setfattr', ['-h', '-n', x.name, '-v', `0x${x.value.toString('hex')}`, join(into, path)]);
      if (node.kind !== 'symlink' && node.perms & 0o6000) chmodSync(join(into, path), node.perms);
      if (node.kind === 'dir') for (const name of await img.readdir(path)) await visit(path === '' ? name : `${path}/${name}`);
    };
    await visit('');
  } finally {
    await img.close();
  }
}

describe('an otaimg on a device', function () {
  this.timeout(300_000);
  const tmp = makeTempDir();
  const repo = join(tmp.path, 'repo');
  const sysroot = join(tmp.path, 'device');
  let first: CommittedFixture;
  let second: CommittedFixture;
  before(async () => {
    first = await commitFixture(tmp.path, repo, 'first', FIRST, '1.0');
    const image = join(tmp.path, 'ota.ext4');
    const r = await otaimg(repo, image);
    assert.equal(r.exitCode, 0, r.stderr);
    second = await commitFixture(tmp.path, repo, 'second', SECOND, '2.0');
    await extract(image, sysroot);
  });
  after(async () => {
    await removeSysroot(sysroot);
    tmp.remove();
  });

  it('ostree admin status shows the deployment and its origin', async () => {
    const status = await ostree(['admin', `--sysroot=${sysroot}`, 'status']);
    assert.match(status, new RegExp(`^  ${OS} ${first.commit}\\.0\\n\\s+Version: 1\\.0\\n\\s+origin refspec: ${OS}:${BRANCH}`));
  });

  it('ostree fsck finds the repository clean', async () => {
    await ostree(['fsck', `--repo=${sysroot}/ostree/repo`]);
  });

  it('deploys a second commit: loader.0, boot.0, the first kept as rollback', async () => {
    await ostree([`--repo=${sysroot}/ostree/repo`, 'pull-local', '--disable-fsync', `--remote=${OS}`, repo, BRANCH]);
    await ostree(['admin', `--sysroot=${sysroot}`, 'deploy', `--os=${OS}`, `${OS}:${BRANCH}`]);
    assert.equal(readlinkSync(join(sysroot, 'boot/loader')), 'loader.0');
    assert.equal(readlinkSync(join(sysroot, 'ostree/boot.0')), 'boot.0.1');
    assert.equal(existsSync(join(sysroot, 'boot/loader.1')), false);
    const status = await ostree(['admin', `--sysroot=${sysroot}`, 'status']);
    // Not booted, so no "*": the default comes first, the rollback after it.
    assert.match(status, new RegExp(`^  ${OS} ${second.commit}\\.0\\n[\\s\\S]*\\n  ${OS} ${first.commit}\\.0\\n`));
    const { uenv } = readBootConfig(sysroot);
    assert.match(uenv.bootargs, /^root=LABEL=otaroot rootfstype=ext4 ostree=\/ostree\/boot\.0\/fixos\/[0-9a-f]{64}\/0$/);
    assert.match(uenv.kernel_image2, /^\/boot\/ostree\/fixos-[0-9a-f]{64}\/vmlinuz-6\.1\.0-fixture$/);
    assert.match(uenv.bootargs2, /ostree=\/ostree\/boot\.0\/fixos\/[0-9a-f]{64}\/0$/);
    assert.notEqual(uenv.kernel_image, uenv.kernel_image2, 'the new kernel has its own bootcsum');
    assert.ok(readFileSync(join(sysroot, 'boot/loader/entries/ostree-1-fixos.conf'), 'utf8').includes(`(ostree:1)`));
    await ostree(['fsck', `--repo=${sysroot}/ostree/repo`]);
  });
});
