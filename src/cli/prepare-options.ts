// The commit command's preparation options: its flags, else the build's settings
// (meta-updater's variables), turned into the plain options the steps take.
import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import type { Settings } from '../conf/settings.js';
import { isHostFile } from '../prepare/boot-file.js';
import type { BootFileSource, KernelLayout, KernelOptions } from '../prepare/kernel-options.js';
import type { PrepareOptions } from '../prepare/steps.js';

export interface PrepareFlags {
  strict?: boolean;
  kernel?: string;
  initramfs?: string;
  devicetree?: string[];
  'kernel-layout'?: string;
  manifest?: string;
  systemd?: boolean;
}

/** The yargs options of preparation (besides --prepare itself). */
export const prepareFlagOptions: Record<string, Options> = {
  strict: { type: 'boolean', group: 'Preparation:', describe: 'Refuse to drop files from /var, /boot, /home… instead of warning' },
  kernel: { type: 'string', requiresArg: true, group: 'Preparation:', describe: 'Kernel image file to boot (default: OSTREE_KERNEL / KERNEL_IMAGETYPE in the tree\'s boot/ or DEPLOY_DIR_IMAGE)' },
  initramfs: { type: 'string', requiresArg: true, group: 'Preparation:', describe: 'Initramfs file (default: OSTREE_INITRAMFS_IMAGE in DEPLOY_DIR_IMAGE)' },
  devicetree: { type: 'string', array: true, requiresArg: true, group: 'Preparation:', describe: 'Device tree file, or a name in the tree\'s boot/ or DEPLOY_DIR_IMAGE (repeatable; default: OSTREE_DEVICETREE when OSTREE_DEPLOY_DEVICETREE is set)' },
  'kernel-layout': { type: 'string', choices: ['modern', 'legacy'], group: 'Preparation:', describe: 'modern: usr/lib/modules/<kver>/vmlinuz; legacy: boot/vmlinuz-<bootcsum> (default: OSTREE_KERNEL_LAYOUT, else modern)' },
  manifest: { type: 'string', requiresArg: true, group: 'Preparation:', describe: 'Image manifest (IMAGE_MANIFEST) for usr/package.manifest' },
  systemd: { type: 'boolean', group: 'Preparation:', describe: 'Write tmpfiles.d entries (--no-systemd: an init script); default: VIRTUAL-RUNTIME_init_manager, else detected from the tree' },
};

/** INITRAMFS_IMAGE names a recipe; its file is <image>-<MACHINE>.<fstype> in DEPLOY_DIR_IMAGE. */
function initramfsNames(settings: Settings, image: string): string[] {
  const machine = settings.optional('MACHINE');
  if (machine === undefined) return [image];
  const fstypes = settings.optional('INITRAMFS_FSTYPES')?.split(/\s+/) ?? ['cpio.gz.u-boot', 'cpio.gz'];
  return [image, ...fstypes.map((t) => `${image}-${machine}.${t}`)];
}

function kernelOptions(flags: PrepareFlags, settings: Settings): KernelOptions {
  const kernelName = settings.optional('OSTREE_KERNEL');
  const initramfsImage = settings.optional('OSTREE_INITRAMFS_IMAGE');
  const fromSettings = flags.devicetree === undefined && settings.bool('OSTREE_DEPLOY_DEVICETREE');
  const devicetrees: BootFileSource[] | undefined = flags.devicetree
    ? flags.devicetree.map((d) => (isHostFile(d) ? { file: d } : { names: [d] }))
    : fromSettings
      ? settings.list('OSTREE_DEVICETREE').map((d) => ({ names: [d] }))
      : undefined;
  const layout = flags['kernel-layout'] ?? settings.optional('OSTREE_KERNEL_LAYOUT');
  if (layout !== undefined && layout !== 'modern' && layout !== 'legacy') throw new UsageError(`kernel layout must be modern or legacy, not "${layout}"`);
  return {
    kernel: flags.kernel !== undefined ? { file: flags.kernel } : kernelName !== undefined ? { names: [kernelName] } : undefined,
    initramfs: flags.initramfs !== undefined ? { file: flags.initramfs } : initramfsImage !== undefined ? { names: initramfsNames(settings, initramfsImage), optional: true } : undefined,
    devicetrees,
    deployDir: settings.optional('DEPLOY_DIR_IMAGE'),
    version: settings.optional('KERNEL_VERSION'),
    layout: layout as KernelLayout | undefined,
    // meta-updater's default (0) applies to the device trees meta-updater's variables name.
    multiDevicetree: fromSettings || settings.isUserSet('OSTREE_MULTI_DEVICETREE_SUPPORT') ? settings.bool('OSTREE_MULTI_DEVICETREE_SUPPORT') : undefined,
  };
}

export function prepareOptions(flags: PrepareFlags, settings: Settings, branch: string): PrepareOptions {
  const initManager = settings.optional('VIRTUAL-RUNTIME_init_manager');
  return {
    branch,
    strict: flags.strict,
    systemd: flags.systemd ?? (initManager !== undefined ? initManager === 'systemd' : undefined),
    kernel: kernelOptions(flags, settings),
    manifestFile: flags.manifest ?? settings.optional('IMAGE_MANIFEST'),
  };
}
