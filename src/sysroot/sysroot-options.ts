// What the physical sysroot is built with: the names ostree admin would be given
// (stateroot, remote, branch, kernel arguments) and meta-updater's extra state.
import { UserError } from '../errors.js';

export interface SysrootOptions {
  /** OSTREE_OSNAME: the stateroot, /ostree/deploy/<osname>. */
  osname: string;
  /** The remote of the `<remote>:<branch>` refspec (meta-updater: the osname). */
  remote: string;
  /** The branch of the refspec (OSTREE_BRANCHNAME, or --ref). */
  branch: string;
  /** OSTREE_KERNEL_ARGS, one word each (--karg-append). */
  kernelArgs: string[];
  /** OSTREE_SYSROOT_READONLY: sysroot.readonly=true in the device repo. */
  readonly: boolean;
  /** OSTREE_OTA_REPO_CONFIG as [section.key, value] pairs, in order. */
  repoConfig: [string, string][];
  /** When set, the device repo gets [remote "<remote>"] with this URL. */
  remoteUrl?: string;
  /** var/sota/import/installed_versions value: "<GARAGE_TARGET_NAME>-<version>". */
  installedVersion: string;
  /** Every time in the sysroot that is not ostree's fixed 0 (SOURCE_DATE_EPOCH or the commit time). */
  epoch: number;
}

/** A sysroot cannot be built from this commit with these options. */
export class SysrootError extends UserError {}

/** OSTREE_OTA_REPO_CONFIG words "section.key:value", split as meta-updater's `cut -d: -f1 / -f2-`. */
export function parseRepoConfigWords(words: readonly string[]): [string, string][] {
  return words.map((word) => {
    const colon = word.indexOf(':');
    const key = word.slice(0, Math.max(colon, 0));
    if (colon < 0 || !/^[^.]+\.[^.]/.test(key)) throw new SysrootError(`OSTREE_OTA_REPO_CONFIG: "${word}" is not section.key:value`);
    return [key, word.slice(colon + 1)];
  });
}
