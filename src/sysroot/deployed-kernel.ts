// Which kernel, initramfs and device trees `ostree admin deploy` (2022.7) installs
// from a commit, under which names (install_deployment_kernel; ostree-format.md
// §8.4). The lookup and the bootcsum are the prepare code's (ostreeKernelLayout),
// so the commit step and the image step can never disagree about them.
import { isRegular } from '../ostree/validate.js';
import { PrepareError } from '../prepare/prepare-error.js';
import { ostreeKernelLayout, type ReadFile } from '../prepare/ostree-kernel-layout.js';
import { resolveInTree } from '../prepare/tree-paths.js';
import type { Tree } from '../tree/tree.js';
import { SysrootError } from './sysroot-options.js';

export interface DeployedKernel {
  bootcsum: string;
  /** Tree path → name in /boot/ostree/<os>-<bootcsum>/, hardlinked (kernel, initramfs, devicetree file, hmac). */
  links: { from: string; name: string }[];
  kernelName: string;
  initramfsName?: string;
  /** A single device tree file (BLS `devicetree`, uEnv `fdt_file`). */
  devicetreeName?: string;
  /** A dtb/ directory, copied whole (BLS `fdtdir`); the resolved tree path. */
  dtbDir?: string;
}

/** Like ostree's g_strndup (name, strrchr (name, '-') - name) for legacy names. */
const beforeLastDash = (path: string): string => {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.slice(0, name.lastIndexOf('-'));
};

export function findDeployedKernel(commit: string, tree: Tree, read: ReadFile): DeployedKernel {
  let found;
  try {
    found = ostreeKernelLayout(tree, read);
  } catch (e) {
    if (e instanceof PrepareError) throw new SysrootError(`commit ${commit}: ${e.message.replace(/^prepare kernel: /, '')}`);
    throw e;
  }
  if (!found) {
    throw new SysrootError(`commit ${commit} has no kernel: ostree admin deploy needs usr/lib/modules/<kver>/vmlinuz (or a legacy boot/vmlinuz-<bootcsum>)`);
  }
  // install_into_boot hardlinks the path itself: a symlink would be linked, not its target.
  for (const path of [found.kernel, found.initramfs, found.devicetreeIsDir ? undefined : found.devicetree]) {
    const node = path === undefined ? undefined : tree.lookup(path);
    if (path !== undefined && !(node?.kind === 'file' && isRegular(node.meta.mode))) {
      throw new SysrootError(`commit ${commit}: ${path} is a symlink; ostree admin deploy would hardlink the link into /boot, not the file`);
    }
  }
  const modern = found.layout === 'modern';
  const kver = found.kver ?? '';
  const kernelName = modern ? `vmlinuz-${kver}` : beforeLastDash(found.kernel);
  const out: DeployedKernel = { bootcsum: found.bootcsum, links: [{ from: found.kernel, name: kernelName }], kernelName };
  if (found.initramfs !== undefined) {
    out.initramfsName = modern ? `initramfs-${kver}.img` : beforeLastDash(found.initramfs);
    out.links.push({ from: found.initramfs, name: out.initramfsName });
  }
  if (found.devicetree !== undefined && found.devicetreeIsDir) {
    out.dtbDir = resolveInTree(tree, found.devicetree)!.path;
  } else if (found.devicetree !== undefined) {
    out.devicetreeName = modern ? `devicetree-${kver}` : beforeLastDash(found.devicetree);
    out.links.push({ from: found.devicetree, name: out.devicetreeName });
  }
  // FIPS: .vmlinuz.hmac is installed as .vmlinuz-<kver>.hmac (modern layout only).
  const hmac = `${found.dir}/.vmlinuz.hmac`;
  if (modern && tree.lookup(hmac)?.kind === 'file') out.links.push({ from: hmac, name: `.${kernelName}.hmac` });
  return out;
}
