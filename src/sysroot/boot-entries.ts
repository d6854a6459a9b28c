// What `ostree admin deploy` writes for booting (ostree-format.md §8.3-§8.6):
// /boot/ostree/<os>-<bootcsum>/ with the kernel, initramfs and device tree file
// hardlinked and dtb/ copied, loader.N with the BLS entry and uEnv.txt, the
// boot/loader and boot/boot links, ostree/boot.N -> boot.N.M with the bootlink to
// the deployment, and the ostree/N/M/<index> ref that protects it from pruning.
//
// The state is the one real ostree's first deploy leaves on a sysroot whose
// boot/loader.0 was pre-created (meta-updater, surprise #6): bootversion 1,
// subbootversion 1 (loader.1, boot.1 -> boot.1.1, ref ostree/1/1/0). An image made
// by `ostree admin` and one made here are then the same, name for name.
import type { Tree } from '../tree/tree.js';
import type { Ref } from './bare-repo.js';
import { OSTREE_TIMESTAMP } from './bare-repo.js';
import { blsEntryName, blsEntryText, uEnvText, type BootEntry } from './boot-config.js';
import type { DeployedKernel } from './deployed-kernel.js';
import { copySubtree } from './subtree-copy.js';
import { hardlink, rootDir, rootFile, rootSymlink, type FileEntry, type SymlinkEntry, type SysrootEntry } from './sysroot-entry.js';
import type { DirNode } from '../tree/tree.js';

export const BOOTVERSION = 1;
export const SUBBOOTVERSION = 1;

export interface BootInput {
  commit: string;
  tree: Tree;
  kernel: DeployedKernel;
  /** The deployment's inodes by tree path: /boot hardlinks what the deployment holds (linkat from it). */
  deployed: ReadonlyMap<string, FileEntry | SymlinkEntry>;
  /** The default (and only) deployment's entry. */
  entry: BootEntry;
  deploymentSerial: number;
  epoch: number;
}

/** ostree/<bootversion>/<subbootversion>/<index>: keeps the deployed commit from being pruned. */
export function deploymentRef(commit: string, index: number): Ref {
  return { name: `heads/ostree/${BOOTVERSION}/${SUBBOOTVERSION}/${index}`, checksum: commit };
}

export function bootEntries(b: BootInput): SysrootEntry[] {
  const { osname, bootcsum, bootversion, bootserial } = b.entry;
  const t = b.epoch;
  const bootDir = `boot/ostree/${osname}-${bootcsum}`;
  const loader = `loader.${bootversion}`;
  const subboot = `boot.${bootversion}.${SUBBOOTVERSION}`;
  return [
    rootDir('boot/ostree', t),
    rootDir(bootDir, t),
    ...b.kernel.links.map((l) => hardlink(`${bootDir}/${l.name}`, b.deployed.get(l.from)!)),
    // glnx_file_copy_at keeps the source's mtime: the checkout's, OSTREE_TIMESTAMP but for its copies of empty files.
    ...(b.kernel.dtbDir !== undefined ? copySubtree(b.tree.lookup(b.kernel.dtbDir) as DirNode, `${bootDir}/dtb`, { created: t, files: (n) => (n.size === 0 ? t : OSTREE_TIMESTAMP) }) : []),
    rootDir(`boot/${loader}`, t),
    rootDir(`boot/${loader}/entries`, t),
    rootFile(`boot/${loader}/entries/${blsEntryName(b.entry)}`, blsEntryText(b.entry), t),
    rootFile(`boot/${loader}/uEnv.txt`, uEnvText([b.entry]), t),
    rootSymlink('boot/loader', loader, t),
    rootSymlink('boot/boot', '.', t),
    rootDir(`ostree/${subboot}`, t),
    rootDir(`ostree/${subboot}/${osname}`, t),
    rootDir(`ostree/${subboot}/${osname}/${bootcsum}`, t),
    rootSymlink(`ostree/${subboot}/${osname}/${bootcsum}/${bootserial}`, `../../../deploy/${osname}/deploy/${b.commit}.${b.deploymentSerial}`, t),
    rootSymlink(`ostree/boot.${bootversion}`, subboot, t),
  ];
}
