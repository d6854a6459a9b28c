// Every variable yocto-ostree reads: its type, its meaning, and its default written
// as the BitBake statement that sets it where BitBake sets it (oe-core's bitbake.conf,
// meta-updater's classes…). The defaults are evaluated at that point of BitBake's
// reading order, so they interact with the build's files exactly as in a real build.

export type SettingType =
  | 'path'
  | 'boolean' // oe.types.boolean: yes/y/true/t/1, no/n/false/f/0
  | 'list' // whitespace-separated words
  | 'size' // KiB, a non-negative integer
  | 'number'
  | 'integer'
  | 'string'
  | 'ref' // an OSTree ref
  | 'osname'; // an OSTree stateroot, also used as a remote name

/**
 * When BitBake evaluates a default: oe-core's bitbake.conf before the build's conf
 * files (they include conf/local.conf and the machine and distro files half-way
 * through it) or after them; the classes (INHERIT, image classes) after everything.
 */
export type DefaultPhase = 'bitbake.conf head' | 'bitbake.conf tail' | 'classes';

export interface DefaultStatement {
  /** BitBake syntax, e.g. `OSTREE_BRANCHNAME ?= "${SOTA_HARDWARE_ID}"`. */
  readonly statement: string;
  /** The file that holds it in a real build. */
  readonly file: string;
  readonly phase: DefaultPhase;
}

export interface Setting {
  readonly name: string;
  readonly type: SettingType;
  readonly meaning: string;
  readonly defaults: readonly DefaultStatement[];
  readonly choices?: readonly string[];
  /** false when an environment variable of this name means something else (TMPDIR). */
  readonly fromEnvironment?: boolean;
  /** The command-line flag that is a shorthand for --set NAME=… */
  readonly flag?: string;
  /** A path that must exist once set (meta-updater's sanity check). */
  readonly mustExist?: boolean;
}

const BITBAKE_CONF = 'oe-core meta/conf/bitbake.conf';
const DISTROVARS = 'oe-core meta/conf/distro/include/default-distrovars.inc'; // via defaultsetup.conf, after the distro file
const IMAGE_TYPES = 'oe-core meta/classes-recipe/image_types.bbclass';
const SOTA = 'meta-updater classes/sota.bbclass';
const IMAGE_TYPES_OSTREE = 'meta-updater classes/image_types_ostree.bbclass';
const OURS = 'yocto-ostree';

const d = (statement: string, file: string, phase: DefaultPhase = 'classes'): DefaultStatement => ({ statement, file, phase });
/** A default bitbake.conf sets before including site.conf, auto.conf and local.conf. */
const head = (statement: string): DefaultStatement => ({ statement, file: BITBAKE_CONF, phase: 'bitbake.conf head' });
/** A default bitbake.conf sets after including them (and the machine and distro files). */
const tail = (statement: string): DefaultStatement => ({ statement, file: BITBAKE_CONF, phase: 'bitbake.conf tail' });

export const SETTINGS: readonly Setting[] = [
  // Build layout (oe-core)
  { name: 'TOPDIR', type: 'path', meaning: 'The build directory: --builddir, else the nearest directory at or above the current one with conf/local.conf.', defaults: [] },
  {
    name: 'TMPDIR',
    type: 'path',
    meaning:
      'Build output directory. oe-core before 5.1 (scarthgap, kirkstone) appends -${TCLIBC} for distros other than poky (tmp-glibc); set TMPDIR or DEPLOY_DIR_IMAGE explicitly for such builds.',
    defaults: [head('TMPDIR ?= "${TOPDIR}/tmp"')],
    fromEnvironment: false, // $TMPDIR is the system's temporary directory, not BitBake's
  },
  { name: 'DEPLOY_DIR', type: 'path', meaning: 'Where builds deploy their artifacts.', defaults: [head('DEPLOY_DIR ?= "${TMPDIR}/deploy"')] },
  {
    name: 'DEPLOY_DIR_IMAGE',
    type: 'path',
    meaning: 'Where images, kernels and device trees of MACHINE are deployed; the kernel, initramfs and device trees are taken from here.',
    defaults: [head('DEPLOY_DIR_IMAGE ?= "${DEPLOY_DIR}/images/${MACHINE}"')],
  },
  { name: 'MACHINE', type: 'string', meaning: 'The target machine; selects conf/machine/${MACHINE}.conf and the machine overrides.', defaults: [], flag: 'machine' },
  { name: 'DISTRO', type: 'string', meaning: 'The distribution; selects conf/distro/${DISTRO}.conf.', defaults: [head('DISTRO ??= "nodistro"')] },
  { name: 'DISTRO_VERSION', type: 'string', meaning: 'The distribution version; the default commit version.', defaults: [d('DISTRO_VERSION ??= "nodistro.0"', DISTROVARS, 'bitbake.conf tail')] },
  { name: 'DISTRO_FEATURES', type: 'list', meaning: 'Distribution features; "sota" adds the sota override (sota.bbclass).', defaults: [] },
  {
    name: 'OVERRIDES',
    type: 'string',
    meaning:
      'Active overrides, colon-separated, later ones winning. oe-core also has the target OS and architecture, pn-${PN}, layer- and class- overrides, which only exist while building a recipe.',
    defaults: [head('OVERRIDES = "${MACHINEOVERRIDES}:${DISTROOVERRIDES}:forcevariable"')],
    fromEnvironment: false,
  },
  { name: 'MACHINEOVERRIDES', type: 'string', meaning: 'Machine overrides; machine files prepend SoC families (e.g. "mx6:mx6q:").', defaults: [head('MACHINEOVERRIDES ?= "${MACHINE}"')], fromEnvironment: false },
  {
    name: 'DISTROOVERRIDES',
    type: 'string',
    meaning: 'Distribution overrides.',
    defaults: [head(`DISTROOVERRIDES ?= "\${@d.getVar('DISTRO') or ''}"`), d(`DISTROOVERRIDES .= "\${@bb.utils.contains('DISTRO_FEATURES', 'sota', ':sota', '', d)}"`, SOTA)],
    fromEnvironment: false,
  },
  {
    name: 'IMAGE_NAME',
    type: 'string',
    meaning: 'Name of the image being built (an image recipe sets it to ${IMAGE_LINK_NAME}${IMAGE_VERSION_SUFFIX}); outside bitbake pass it with --set.',
    defaults: [],
  },
  { name: 'IMAGE_MANIFEST', type: 'path', meaning: 'The image\'s package manifest (${IMGDEPLOYDIR}/${IMAGE_NAME}.manifest in an image recipe); committed as usr/package.manifest.', defaults: [] },
  { name: 'IMAGE_ROOTFS_SIZE', type: 'size', meaning: 'Minimum root filesystem size, KiB.', defaults: [tail('IMAGE_ROOTFS_SIZE ??= "65536"')] },
  { name: 'IMAGE_OVERHEAD_FACTOR', type: 'number', meaning: 'Factor applied to the used size of the root filesystem.', defaults: [head('IMAGE_OVERHEAD_FACTOR ?= "1.3"')] },
  { name: 'IMAGE_ROOTFS_EXTRA_SPACE', type: 'size', meaning: 'Space added to the root filesystem, KiB.', defaults: [head('IMAGE_ROOTFS_EXTRA_SPACE ?= "0"')] },
  { name: 'IMAGE_ROOTFS_MAXSIZE', type: 'size', meaning: 'Maximum root filesystem size, KiB; unset means no limit.', defaults: [] },
  { name: 'IMAGE_ROOTFS_ALIGNMENT', type: 'size', meaning: 'The root filesystem size is rounded up to a multiple of this, KiB.', defaults: [d('IMAGE_ROOTFS_ALIGNMENT ?= "1"', IMAGE_TYPES)] },
  {
    name: 'VIRTUAL-RUNTIME_init_manager',
    type: 'string',
    meaning: 'The init system (systemd, sysvinit, busybox…), set by the distro configuration; systemd gets tmpfiles.d entries, others an init script.',
    defaults: [],
  },
  { name: 'KERNEL_IMAGETYPE', type: 'string', meaning: 'Kernel image type (zImage, Image, fitImage…), set by the machine configuration.', defaults: [] },
  {
    name: 'KERNEL_DEVICETREE',
    type: 'list',
    meaning: 'Device trees built for the machine, set by the machine configuration. The empty weak default (not in oe-core) lets OSTREE_DEVICETREE be empty on machines without device trees.',
    defaults: [d('KERNEL_DEVICETREE ??= ""', OURS, 'bitbake.conf head')], // first, so any other weak default wins
  },
  { name: 'KERNEL_VERSION', type: 'string', meaning: 'Kernel version (the usr/lib/modules/<version> directory name).', defaults: [] },
  { name: 'SOURCE_DATE_EPOCH', type: 'integer', meaning: 'Timestamp for reproducible output, seconds since the epoch.', defaults: [] },

  // OSTree (meta-updater unless noted)
  {
    name: 'OSTREE_REPO',
    type: 'path',
    meaning: 'Build-side archive repository the commits go to. Redefine it for a repository that outlives TMPDIR.',
    defaults: [d('OSTREE_REPO ?= "${DEPLOY_DIR_IMAGE}/ostree_repo"', SOTA)],
    flag: 'repo',
  },
  {
    name: 'OSTREE_BRANCHNAME',
    type: 'ref',
    meaning: 'The ref (branch) to commit to; also written to usr/share/sota/branchname. Effectively ${MACHINE} unless SOTA_HARDWARE_ID is set.',
    defaults: [d('OSTREE_BRANCHNAME ?= "${SOTA_HARDWARE_ID}"', SOTA)],
    flag: 'branch',
  },
  {
    name: 'OSTREE_OSNAME',
    type: 'osname',
    meaning: 'The stateroot (/ostree/deploy/<osname>), also the remote name of the deployed repository. meta-updater up to scarthgap uses "poky", master "nodistro", meta-lmp "lmp".',
    defaults: [d('OSTREE_OSNAME ?= "poky"', SOTA)],
    flag: 'os',
  },
  {
    name: 'OSTREE_BOOTLOADER',
    type: 'string',
    meaning: 'Bootloader integration of the physical sysroot.',
    choices: ['u-boot', 'grub', 'syslinux', 'none', 'systemd-boot'],
    defaults: [d("OSTREE_BOOTLOADER ??= 'u-boot'", SOTA)],
  },
  { name: 'OSTREE_BOOT_PARTITION', type: 'path', meaning: 'Mount point of the boot partition (grub).', defaults: [d('OSTREE_BOOT_PARTITION ??= "/boot"', SOTA)] },
  { name: 'OSTREE_KERNEL', type: 'path', meaning: 'File name in DEPLOY_DIR_IMAGE of the kernel to ship.', defaults: [d('OSTREE_KERNEL ??= "${KERNEL_IMAGETYPE}"', SOTA)] },
  { name: 'OSTREE_KERNEL_ARGS_COMMON', type: 'list', meaning: 'Base kernel arguments.', defaults: [d('OSTREE_KERNEL_ARGS_COMMON ??= "root=LABEL=otaroot rootfstype=ext4"', SOTA)] },
  { name: 'OSTREE_KERNEL_ARGS', type: 'list', meaning: 'Kernel arguments of the deployment; each word becomes a --karg-append.', defaults: [d('OSTREE_KERNEL_ARGS ??= "${OSTREE_KERNEL_ARGS_COMMON}"', SOTA)] },
  {
    name: 'OSTREE_KERNEL_LAYOUT',
    type: 'string',
    meaning: 'Where the kernel goes in the tree: modern = usr/lib/modules/<version>/vmlinuz (meta-updater since 2020), legacy = boot/vmlinuz-<checksum>.',
    choices: ['modern', 'legacy'],
    defaults: [d('OSTREE_KERNEL_LAYOUT ?= "modern"', OURS)],
  },
  { name: 'OSTREE_DEPLOY_DEVICETREE', type: 'boolean', meaning: 'Ship the device trees (OSTREE_DEVICETREE) in the tree.', defaults: [d('OSTREE_DEPLOY_DEVICETREE ??= "0"', SOTA)] },
  { name: 'OSTREE_DEVICETREE', type: 'list', meaning: 'Device trees to ship (base names in DEPLOY_DIR_IMAGE).', defaults: [d('OSTREE_DEVICETREE ??= "${KERNEL_DEVICETREE}"', SOTA)] },
  {
    name: 'OSTREE_MULTI_DEVICETREE_SUPPORT',
    type: 'boolean',
    meaning: 'When 0 the first device tree is also installed as usr/lib/modules/<version>/devicetree; when 1 only the dtb/ directory is shipped.',
    defaults: [d('OSTREE_MULTI_DEVICETREE_SUPPORT ??= "0"', SOTA)],
  },
  { name: 'OSTREE_SYSROOT_READONLY', type: 'boolean', meaning: 'Set sysroot.readonly=true in the device repository.', defaults: [d('OSTREE_SYSROOT_READONLY ??= "0"', SOTA)] },
  { name: 'OSTREE_REPO_CONFIG', type: 'list', meaning: 'key:value words applied to the build repository before committing.', defaults: [d('OSTREE_REPO_CONFIG ?= ""', SOTA)] },
  { name: 'OSTREE_OTA_REPO_CONFIG', type: 'list', meaning: 'key:value words applied to the device repository in the sysroot.', defaults: [d('OSTREE_OTA_REPO_CONFIG ?= ""', SOTA)] },
  {
    name: 'OSTREE_OTA_REMOTE_NAME',
    type: 'osname',
    meaning: 'Remote of the deployed refspec (<remote>:<branch>) in the device repository; meta-updater uses the stateroot name.',
    defaults: [d('OSTREE_OTA_REMOTE_NAME ??= "${OSTREE_OSNAME}"', OURS)],
  },
  {
    name: 'OSTREE_OTA_REMOTE_URL',
    type: 'string',
    meaning: 'URL written as the device repository\'s remote (gpg-verify=false); unset: no remote section (meta-updater\'s behaviour, the OTA client brings its own).',
    defaults: [],
  },
  {
    name: 'INITRAMFS_FSTYPES',
    type: 'list',
    meaning:
      "File types of the initramfs image, whose file is ${INITRAMFS_IMAGE}-${MACHINE}.<type> in DEPLOY_DIR_IMAGE. bitbake.conf's default comes first, so sota.bbclass's (cpio.gz.u-boot with u-boot, written there with oe.utils.ifelse) only applies if nothing set it.",
    defaults: [tail('INITRAMFS_FSTYPES ?= "cpio.gz"'), d(`INITRAMFS_FSTYPES ?= "\${@oe.utils.conditional('OSTREE_BOOTLOADER', 'u-boot', 'cpio.gz.u-boot', 'cpio.gz', d)}"`, SOTA)],
  },
  { name: 'INITRAMFS_IMAGE', type: 'string', meaning: 'The initramfs image recipe (meta-updater since 2018).', defaults: [d('INITRAMFS_IMAGE ?= "initramfs-ostree-image"', SOTA)] },
  {
    name: 'OSTREE_INITRAMFS_IMAGE',
    type: 'string',
    meaning: "The initramfs image: meta-updater's name before 2018; defaults to INITRAMFS_IMAGE so that either name works.",
    defaults: [d('OSTREE_INITRAMFS_IMAGE ?= "${INITRAMFS_IMAGE}"', OURS)],
  },
  { name: 'OSTREE_COMMIT_SUBJECT', type: 'string', meaning: 'Commit subject.', defaults: [d('OSTREE_COMMIT_SUBJECT ??= "Commit-id: ${IMAGE_NAME}"', IMAGE_TYPES_OSTREE)] },
  { name: 'OSTREE_COMMIT_BODY', type: 'string', meaning: 'Commit body.', defaults: [d('OSTREE_COMMIT_BODY ??= ""', IMAGE_TYPES_OSTREE)] },
  { name: 'OSTREE_COMMIT_VERSION', type: 'string', meaning: 'The commit\'s "version" metadata.', defaults: [d('OSTREE_COMMIT_VERSION ??= "${DISTRO_VERSION}"', IMAGE_TYPES_OSTREE)] },
  { name: 'OSTREE_UPDATE_SUMMARY', type: 'boolean', meaning: 'Update the repository summary after committing.', defaults: [d('OSTREE_UPDATE_SUMMARY ??= "0"', IMAGE_TYPES_OSTREE)] },
  { name: 'OSTREE_STATIC_DELTAS', type: 'list', meaning: 'Static deltas to generate to each new commit, from: "parent", "empty" (from scratch), refs or checksums. Unset: from the parent; set but empty: none.', defaults: [] },
  { name: 'OSTREE_GPG_ID', type: 'string', meaning: 'Which key of OSTREE_GPG_KEY signs commits and the summary (needed only when that file holds several); GPG signing happens when OSTREE_GPG_KEY is set.', defaults: [] },
  { name: 'OSTREE_GPG_KEY', type: 'path', meaning: 'Armored GPG secret key file holding OSTREE_GPG_ID.', defaults: [] },
  { name: 'OSTREE_GPG_PASSPHRASE_FILE', type: 'path', meaning: 'File holding the passphrase of OSTREE_GPG_KEY.', defaults: [] },
  { name: 'OSTREE_SIGN_KEY', type: 'path', meaning: 'ed25519 secret key file (ostree sign --keys-file format) to sign commits with; unset: no ed25519 signature.', defaults: [] },
  { name: 'OSTREE_SIGN_PUBKEY', type: 'path', meaning: 'ed25519 public key file matching OSTREE_SIGN_KEY, for verification and the device configuration.', defaults: [] },

  // SOTA / garage (meta-updater)
  { name: 'SOTA_HARDWARE_ID', type: 'string', meaning: 'Uptane hardware id; the default branch name.', defaults: [d('SOTA_HARDWARE_ID ??= "${MACHINE}"', SOTA)] },
  {
    name: 'SOTA_MACHINE',
    type: 'string',
    meaning: 'Selects the machine glue class sota_${SOTA_MACHINE}.',
    defaults: [
      d('SOTA_MACHINE ??= "none"', SOTA),
      d('SOTA_MACHINE:rpi ?= "raspberrypi"', SOTA),
      d('SOTA_MACHINE:qcom ?= "qcom"', SOTA),
      d('SOTA_MACHINE:porter ?= "porter"', SOTA),
      d('SOTA_MACHINE:m3ulcb = "m3ulcb"', SOTA),
      d('SOTA_MACHINE:intel-corei7-64 ?= "intel"', SOTA),
      d('SOTA_MACHINE:qemux86-64 ?= "qemux86-64"', SOTA),
      d('SOTA_MACHINE:am335x-evm ?= "am335x-evm-wifi"', SOTA),
      d('SOTA_MACHINE:freedom-u540 ?= "freedom-u540"', SOTA),
    ],
  },
  {
    name: 'SOTA_PACKED_CREDENTIALS',
    type: 'path',
    meaning: 'credentials.zip for pushing, signing and checking; unset: those remote steps are skipped.',
    defaults: [],
    mustExist: true,
  },
  { name: 'SOTA_SKIP_CRED_WARN', type: 'boolean', meaning: 'Silences the warning about SOTA_PACKED_CREDENTIALS not being set.', defaults: [d('SOTA_SKIP_CRED_WARN ?= "0"', IMAGE_TYPES_OSTREE)] },
  { name: 'GARAGE_SIGN_REPO', type: 'path', meaning: 'Temporary TUF repository used while signing.', defaults: [d('GARAGE_SIGN_REPO ?= "${DEPLOY_DIR_IMAGE}/garage_sign_repo"', SOTA)] },
  { name: 'GARAGE_SIGN_KEYNAME', type: 'string', meaning: 'Name of the signing key.', defaults: [d('GARAGE_SIGN_KEYNAME ?= "garage-key"', SOTA)] },
  { name: 'GARAGE_TARGET_NAME', type: 'string', meaning: 'Uptane target name.', defaults: [d('GARAGE_TARGET_NAME ?= "${OSTREE_BRANCHNAME}"', SOTA)] },
  { name: 'GARAGE_TARGET_VERSION', type: 'string', meaning: 'Target version; empty: the commit checksum.', defaults: [d('GARAGE_TARGET_VERSION ?= ""', SOTA)] },
  { name: 'GARAGE_TARGET_URL', type: 'string', meaning: 'URL of the target (http(s), ftp or file).', defaults: [d('GARAGE_TARGET_URL ?= ""', SOTA)] },
  { name: 'GARAGE_TARGET_EXPIRES', type: 'string', meaning: 'Expiry date of the targets metadata (exclusive with GARAGE_TARGET_EXPIRE_AFTER).', defaults: [d('GARAGE_TARGET_EXPIRES ?= ""', SOTA)] },
  { name: 'GARAGE_TARGET_EXPIRE_AFTER', type: 'string', meaning: 'Validity period of the targets metadata; empty: 1M.', defaults: [d('GARAGE_TARGET_EXPIRE_AFTER ?= ""', SOTA)] },
  { name: 'GARAGE_CUSTOMIZE_TARGET', type: 'string', meaning: 'Command run on the unsigned targets.json.', defaults: [d('GARAGE_CUSTOMIZE_TARGET ?= ""', SOTA)] },
  { name: 'GARAGE_PUSH_RETRIES', type: 'integer', meaning: 'Attempts at pushing and signing.', defaults: [d('GARAGE_PUSH_RETRIES ??= "3"', IMAGE_TYPES_OSTREE)] },
  { name: 'GARAGE_PUSH_RETRIES_SLEEP', type: 'integer', meaning: 'Seconds between attempts.', defaults: [d('GARAGE_PUSH_RETRIES_SLEEP ??= "0"', IMAGE_TYPES_OSTREE)] },
];

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

export function findSetting(name: string): Setting | undefined {
  return BY_NAME.get(name);
}

/** OSTREE_/SOTA_/GARAGE_ names meta-updater and meta-lmp use that we do not read: not typos. */
const KNOWN_ELSEWHERE = [
  'OSTREE_ROOTFS', 'OSTREE_RMDIR_HELPER_MSGTYPE', 'OSTREE_EFI_SIZE', 'OSTREE_WKS_EFI_SIZE', 'OSTREE_SPLIT_BOOT',
  'OSTREE_LOADER_LINK', 'OSTREE_DEPLOY_USR_OSTREE_BOOT', 'OSTREE_WKS_BOOT_SIZE', 'OSTREE_OTA_EXT4_LUKS',
  'OSTREE_OTA_EXT4_LUKS_PASSPHRASE', 'OSTREE_OTA_EXT4_LUKS_PBKDF2_MEM', 'OSTREE_API_VERSION', 'SOTA_CLIENT_PROV',
  'SOTA_DEPLOY_CREDENTIALS', 'SOTA_CLIENT_FEATURES', 'SOTA_MAIN_DTB', 'SOTA_DT_OVERLAYS', 'SOTA_EXTRA_CONF_FRAGS',
  'SOTA_OVERRIDES_BLACKLIST', 'SOTA_REQUIRED_VARIABLES', 'SOTA_POLLING_SEC', 'SOTA_SECONDARY_CONFIG',
  'SOTA_TUF_ROOT_PROVISION', 'SOTA_TUF_ROOT_FETCHER', 'SOTA_TUF_ROOT_DIR', 'GARAGE_SIGN_TOOL', 'GARAGE_SIGN_AUTOVERSION',
];
const KNOWN = [...SETTINGS.map((s) => s.name), ...KNOWN_ELSEWHERE];
const CHECKED_PREFIX = /^(OSTREE|SOTA|GARAGE)_/i;

/** Optimal string alignment distance: edits, with a swap of neighbours counting once. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/**
 * For an OSTREE_/SOTA_/GARAGE_ name nobody defines, the known name it is probably a
 * misspelling of; undefined when the name is known or nothing is close.
 */
function suggestSetting(name: string): string | undefined {
  if (!CHECKED_PREFIX.test(name) || KNOWN.includes(name)) return undefined;
  const upper = name.toUpperCase();
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN) {
    const distance = editDistance(upper, known);
    if (!best || distance < best.distance) best = { name: known, distance };
  }
  const tolerance = Math.max(2, Math.floor(name.length / 4));
  return best && best.distance <= tolerance ? best.name : undefined;
}

/** "OSTREE_BRANCH_NAME is not a variable …; did you mean OSTREE_BRANCHNAME?", or undefined. */
export function misspelling(name: string): string | undefined {
  const suggestion = suggestSetting(name);
  return suggestion && `${name} is not a variable yocto-ostree or meta-updater knows; did you mean ${suggestion}?`;
}
