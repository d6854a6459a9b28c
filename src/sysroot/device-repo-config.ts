// ostree/repo/config of the device: a bare repo, the U-Boot backend named
// explicitly (as the project's reference sysroot does, instead of relying on
// autodetection of boot/loader/uEnv.txt), then OSTREE_OTA_REPO_CONFIG, the remote,
// and sysroot.readonly last, in the order meta-updater's IMAGE_CMD:ota sets them.
import { KeyFileText } from './keyfile-text.js';
import type { SysrootOptions } from './sysroot-options.js';

export function deviceRepoConfig(opts: SysrootOptions): string {
  const kf = new KeyFileText().set('core', 'repo_version', '1').set('core', 'mode', 'bare');
  kf.set('sysroot', 'bootloader', 'uboot');
  for (const [key, value] of opts.repoConfig) {
    // `ostree config set` splits at the first dot.
    const dot = key.indexOf('.');
    kf.set(key.slice(0, dot), key.slice(dot + 1), value);
  }
  if (opts.remoteUrl !== undefined) {
    // As `ostree remote add --no-gpg-verify`: no keys are shipped in the image.
    kf.set(`remote "${opts.remote}"`, 'url', opts.remoteUrl).set(`remote "${opts.remote}"`, 'gpg-verify', 'false');
  }
  if (opts.readonly) kf.set('sysroot', 'readonly', 'true');
  return kf.toString();
}
