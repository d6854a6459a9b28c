// Which kernel version (usr/lib/modules/<kver>) the kernel goes under. KERNEL_VERSION
// when set; else the tree's only usr/lib/modules/<kver> (where its modules are); else
// the version in the kernel's file name (boot/zImage-<kver>).
import type { Tree } from '../tree/tree.js';
import { MODULES_DIR } from './ostree-kernel-layout.js';
import { PrepareError } from './prepare-error.js';
import { childNames } from './tree-paths.js';

export interface KernelVersionInputs {
  /** KERNEL_VERSION. */
  setting?: string;
  /** The version the kernel's file name carries. */
  fromName?: string;
  /** The kernel already sits in usr/lib/modules/<kver>: that is its version. */
  inPlace?: string;
}

export interface KernelVersionChoice {
  kver?: string;
  warnings: string[];
}

/** Undefined kver only when `required` is false (the legacy layout does not need one). */
export function chooseKernelVersion(tree: Tree, inputs: KernelVersionInputs, required: boolean): KernelVersionChoice {
  const modules = childNames(tree, MODULES_DIR).filter((name) => tree.lookup(`${MODULES_DIR}/${name}`)?.kind === 'dir');
  const warnings: string[] = [];
  const without = (kver: string): void => {
    if (modules.length > 0 && !modules.includes(kver)) {
      warnings.push(`kernel version ${kver} has no modules in the tree (${MODULES_DIR} holds ${modules.join(', ')}); modules will not load`);
    }
  };
  if (inputs.inPlace !== undefined) {
    if (inputs.setting !== undefined && inputs.setting !== inputs.inPlace) {
      warnings.push(`KERNEL_VERSION is ${inputs.setting}, but the kernel is already in ${MODULES_DIR}/${inputs.inPlace}; keeping it there`);
    }
    return { kver: inputs.inPlace, warnings };
  }
  if (inputs.setting !== undefined) {
    without(inputs.setting);
    return { kver: inputs.setting, warnings };
  }
  if (modules.length === 1) return { kver: modules[0], warnings };
  if (modules.length > 1) {
    if (inputs.fromName !== undefined && modules.includes(inputs.fromName)) return { kver: inputs.fromName, warnings };
    throw new PrepareError('kernel', `${MODULES_DIR} holds several kernel versions (${modules.join(', ')}); set KERNEL_VERSION to the one to boot`);
  }
  if (inputs.fromName !== undefined) return { kver: inputs.fromName, warnings };
  if (required) {
    throw new PrepareError('kernel', `cannot tell the kernel version: no ${MODULES_DIR}/<version> in the tree and no version in the kernel's file name; set KERNEL_VERSION`);
  }
  return { warnings };
}
