// The kernel step's options: plain values, resolved by the CLI from its flags and
// the settings (OSTREE_KERNEL, OSTREE_INITRAMFS_IMAGE, OSTREE_DEVICETREE…).

/**
 * modern: usr/lib/modules/<kver>/{vmlinuz,initramfs.img,devicetree|dtb/} (meta-updater
 * since 2020, what ostree looks at first); legacy: boot/vmlinuz-<bootcsum> and friends.
 */
export type KernelLayout = 'modern' | 'legacy';

/**
 * Where a kernel, initramfs or device tree comes from: a file on the build host
 * (must exist), or names tried in order, each looked up as boot/<basename> in the
 * tree and then as <deployDir>/<basename>.
 */
export type BootFileSource = { file: string } | { names: string[]; optional?: boolean };

export interface KernelOptions {
  /** --kernel FILE, or OSTREE_KERNEL (default KERNEL_IMAGETYPE) as a name. Unset: auto-detect. */
  kernel?: BootFileSource;
  /** --initramfs FILE, or OSTREE_INITRAMFS_IMAGE's file names (optional: missing is not an error). */
  initramfs?: BootFileSource;
  /** --devicetree (repeatable), or OSTREE_DEVICETREE when OSTREE_DEPLOY_DEVICETREE is set. */
  devicetrees?: BootFileSource[];
  /** DEPLOY_DIR_IMAGE: where names that are not in the tree's boot/ are looked up. */
  deployDir?: string;
  /** KERNEL_VERSION: wins over the version the tree or the kernel's name carries. */
  version?: string;
  /** OSTREE_KERNEL_LAYOUT; default modern. */
  layout?: KernelLayout;
  /**
   * OSTREE_MULTI_DEVICETREE_SUPPORT. true: only dtb/ (ostree's fdtdir); false: the first
   * device tree also as `devicetree` (meta-updater's default); unset: `devicetree` for one, dtb/ for several.
   */
  multiDevicetree?: boolean;
}
