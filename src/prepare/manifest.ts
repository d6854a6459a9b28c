// Step "manifest": usr/package.manifest lists the image's packages with their
// versions, from the build's IMAGE_MANIFEST ("name arch version" lines) reduced to
// name and version, as meta-updater's `cut -d " " -f1,3` does.
import { readFileSync } from 'node:fs';
import type { PrepareContext } from '../commit/prepare-context.js';
import type { Tree } from '../tree/tree.js';
import { isHostFile } from './boot-file.js';
import { PrepareError } from './prepare-error.js';
import { ROOT_DIR_META } from './tree-paths.js';

export const PACKAGE_MANIFEST = 'usr/package.manifest';

/** `cut -d " " -f1,3`: fields 1 and 3; a line without a space passes whole. */
export function packageManifest(imageManifest: string): string {
  if (imageManifest === '') return '';
  const lines = imageManifest.endsWith('\n') ? imageManifest.slice(0, -1).split('\n') : imageManifest.split('\n');
  return lines
    .map((line) => {
      if (!line.includes(' ')) return line + '\n';
      const fields = line.split(' ');
      return [fields[0], ...(fields.length > 2 ? [fields[2]] : [])].join(' ') + '\n';
    })
    .join('');
}

export function writePackageManifest(tree: Tree, ctx: PrepareContext, manifestFile: string): void {
  if (!isHostFile(manifestFile)) throw new PrepareError('manifest', `${manifestFile}: no such file`);
  const text = packageManifest(readFileSync(manifestFile, 'utf8'));
  tree.setFile(PACKAGE_MANIFEST, ctx.newFile(Buffer.from(text)), ROOT_DIR_META);
}
