// `ostree admin init-fs` (without --modern, ostree-format.md §8.1): the top-level
// directories of the physical root, 0755 but root/ 0700 and tmp/ 1777, and the
// ostree/ and ostree/deploy/ directories its sysroot initialization adds.
import { rootDir, type DirEntry } from './sysroot-entry.js';

export function initFsEntries(epoch: number): DirEntry[] {
  return [
    rootDir('', epoch),
    ...['boot', 'dev', 'home', 'proc', 'run', 'sys'].map((d) => rootDir(d, epoch)),
    rootDir('root', epoch, 0o700),
    rootDir('tmp', epoch, 0o1777),
    rootDir('ostree', epoch),
    rootDir('ostree/deploy', epoch),
  ];
}
