// Step "etc-to-usr-etc": /etc moves to /usr/etc, where ostree keeps the image's
// configuration; `ostree admin deploy` makes each deployment's /etc from it (3-way
// merged with the device's changes on upgrades). A tree must not have both.
import type { Tree } from '../tree/tree.js';
import { PrepareError } from './prepare-error.js';
import { ROOT_DIR_META } from './tree-paths.js';

const STEP = 'etc-to-usr-etc';

function directoryOrNothing(tree: Tree, path: string): ReturnType<Tree['lookup']> {
  const node = tree.lookup(path);
  if (node && node.kind !== 'dir') throw new PrepareError(STEP, `${path}: not a directory (${node.meta.symlinkTarget ? `a symlink to ${node.meta.symlinkTarget}` : 'a file'}); ostree needs the configuration as a real /usr/etc directory`);
  return node;
}

export function moveEtcToUsrEtc(tree: Tree): void {
  const etc = directoryOrNothing(tree, 'etc');
  const usrEtc = directoryOrNothing(tree, 'usr/etc');
  if (!etc || etc.kind !== 'dir') {
    if (!usrEtc) tree.ensureDir('usr/etc', ROOT_DIR_META);
    return;
  }
  if (usrEtc?.kind === 'dir' && usrEtc.children.size > 0) {
    if (etc.children.size > 0) {
      const first = (dir: typeof etc, prefix: string): string => `${prefix}/${[...dir.children.keys()].sort()[0]}`;
      throw new PrepareError(STEP, `both etc/ and usr/etc/ have content (${first(etc, 'etc')}, ${first(usrEtc, 'usr/etc')}); ostree keeps the configuration in usr/etc only, so one of them must be empty`);
    }
    tree.remove('etc');
    return;
  }
  tree.remove('etc');
  tree.ensureDir('usr', ROOT_DIR_META).children.set('etc', etc);
}
