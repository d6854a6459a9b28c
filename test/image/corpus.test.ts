// Acceptance 5, on the corpus (../shared/corpus/make-corpus.sh): v2 and big, committed
// with preparation, written by both ext4 paths, clean for e2fsck and verified by
// `yocto-ostree inspect`; on v2 the two trees are compared too. Slow: runs only when
// YOCTO_OSTREE_CORPUS names the corpus directory. bench/otaimg.sh times the same.
import assert from 'node:assert/strict';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as tarStream from 'tar-stream';
import { cli, mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { diffSnapshots, snapshotImage } from './image-snapshot.js';

const CORPUS = process.env.YOCTO_OSTREE_CORPUS;

/** big with /opt moved under /usr (preparation would make /opt a symlink and drop its ten usr/ copies). */
async function moveOptUnderUsr(from: string, to: string): Promise<void> {
  const ex = tarStream.extract();
  const pack = tarStream.pack();
  const move = (n: string): string => n.replace(/^(\.\/)?opt\//, './usr/share/opt/');
  ex.on('entry', (h, stream, next) => {
    h.name = move(h.name);
    if (h.type === 'link') h.linkname = move(h.linkname);
    stream.pipe(pack.entry(h, next));
  });
  ex.on('finish', () => pack.finalize());
  await Promise.all([pipeline(createReadStream(from), ex), pipeline(pack, createWriteStream(to))]);
}

describe('otaimg on the corpus', function () {
  this.timeout(3_600_000);
  const tmp = makeTempDir();
  before(function () {
    if (!CORPUS) {
      console.log('    (skipped: set YOCTO_OSTREE_CORPUS to the corpus directory to run these)');
      this.skip();
    }
  });
  after(() => tmp.remove());

  for (const [name, tarName, kver] of [['v2', 'v2-nodev.tar', '6.1.0-50-armmp'], ['big', 'big-nodev.tar', '6.1.0-47-armmp']] as const) {
    it(`${name}: both writers, e2fsck clean, inspect verifies`, async function () {
      let tar = join(CORPUS!, tarName);
      if (!existsSync(tar)) this.skip();
      if (name === 'big') {
        const moved = join(tmp.path, 'big-usr.tar');
        await moveOptUnderUsr(tar, moved);
        tar = moved;
      }
      const repo = join(tmp.path, `repo-${name}`);
      await cli(['init', '--repo', repo]);
      const kernel = join(CORPUS!, 'kernel', kver);
      const c = await cli(['commit', '--repo', repo, '--branch', `corpus/${name}`, '--os', 'corpus', '--rootfs', tar, '--timestamp', '1700000000', '--kernel', join(kernel, 'vmlinuz'), '--devicetree', join(kernel, 'imx6q-sabresd.dtb')]);
      assert.equal(c.exitCode, 0, c.stderr);
      const images: string[] = [];
      for (const writer of ['mke2fs', 'portable']) {
        const image = join(tmp.path, `${name}-${writer}.ext4`);
        const r = await cli(['otaimg', '--repo', repo, '--os', 'corpus', '--ref', `corpus/${name}`, '--output', image, '--ext4-writer', writer, '--json']);
        assert.equal(r.exitCode, 0, r.stderr);
        await mustRun('e2fsck', ['-fn', image]);
        const inspect = await cli(['inspect', image, '--json']);
        assert.equal(inspect.exitCode, 0, inspect.stderr);
        const report = JSON.parse(inspect.stdout);
        assert.equal(report.ok, true);
        assert.ok(report.deployments[0].verified.files > 5000);
        images.push(image);
      }
      if (name === 'v2') assert.deepEqual(diffSnapshots(await snapshotImage(images[0]), await snapshotImage(images[1])), []);
    });
  }
});
