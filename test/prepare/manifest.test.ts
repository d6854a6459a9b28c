import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageManifest, PACKAGE_MANIFEST, writePackageManifest } from '../../src/prepare/manifest.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';
import { mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';

describe('prepare step manifest', () => {
  it('reduces the image manifest to name and version exactly as cut -d " " -f1,3', async () => {
    const tmp = makeTempDir();
    try {
      const manifest = 'base-files qemuarm 3.0.14\nbusybox armv7at2hf-neon 1.36.1\nodd-line\ntwo fields\n\nlast no newline x y z';
      const file = join(tmp.path, 'image.manifest');
      writeFileSync(file, manifest);
      assert.equal(packageManifest(manifest), await mustRun('cut', ['-d', ' ', '-f1,3', file], { stripFinalNewline: false }));
      const ctx = memoryContext();
      const tree = modelTree(ctx, []);
      writePackageManifest(tree, ctx, file);
      assert.match(describeTree(ctx, tree).get(PACKAGE_MANIFEST)!, /^file 0644 base-files 3\.0\.14\nbusybox 1\.36\.1\n/);
      assert.throws(() => writePackageManifest(tree, ctx, join(tmp.path, 'missing')), /prepare manifest: .*missing: no such file/);
    } finally {
      tmp.remove();
    }
  });
});
