// A poky-style build directory, resolved as BitBake resolves it. Each expected value
// is worked out from the semantics table; the comment beside it says how.
import assert from 'node:assert/strict';
import { resolveSettings, type Settings } from '../../src/conf/settings.js';
import { makeTempDir } from '../helpers/tmp.js';
import { writeFiles } from './conf-helpers.js';
import { POKY_BUILD } from './poky-fixture.js';

describe('poky-style build directory', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let build: string;
  let settings: Settings;
  before(() => {
    tmp = makeTempDir('conf-poky-');
    writeFiles(tmp.path, POKY_BUILD);
    build = `${tmp.path}/build`;
    settings = resolveSettings({ builddir: build }, {});
  });
  after(() => tmp.remove());

  it('resolves to the values BitBake gives', () => {
    const expected: Record<string, string | undefined> = {
      TOPDIR: build, // --builddir
      MACHINE: 'imx6qdlsabresd', // local.conf ?=, nothing set it before
      DISTRO: 'poky', // local.conf ?= runs before bitbake.conf's weak ??= "nodistro" could matter
      // bblayers.conf sets BBPATH to TOPDIR; each layer.conf adds ${LAYERDIR}, frozen per layer
      BBPATH: `${tmp.path}/build/../layers/meta-poky:${build}:${tmp.path}/build/../layers/meta-freescale:${tmp.path}/build/../layers/meta-updater`,
      // local.conf's = beats bitbake.conf's earlier ?=
      TMPDIR: `${build}/tmp-glibc`,
      DEPLOY_DIR_IMAGE: `${build}/tmp-glibc/deploy/images/imx6qdlsabresd`,
      // poky.conf (read after local.conf) sets the base with ?=; the :appends are deferred and
      // apply in the order they were read: sota.conf.inc's (required first), then local.conf's
      DISTRO_FEATURES: 'acl ipv6 xattr sota usrmerge systemd',
      // += on an empty value keeps the separator: "" + " " + " sota", twice, then poky.conf's
      INHERIT: '  sota  sota poky-sanity',
      // the machine file's =. prepends to bitbake.conf's ?= "${MACHINE}"
      MACHINEOVERRIDES: 'mx6:mx6q:mx6dl:imx6qdlsabresd',
      // sota.bbclass appends ":sota" because DISTRO_FEATURES has sota
      OVERRIDES: 'mx6:mx6q:mx6dl:imx6qdlsabresd:poky:sota:forcevariable',
      // site.conf is read before local.conf, so its ?= wins over local.conf's and sota.bbclass's
      OSTREE_REPO: '/srv/ostree/imx6qdlsabresd',
      // local.conf's = beats the machine file's ?= and sota.bbclass's ?=
      OSTREE_BRANCHNAME: 'lmp-imx6qdlsabresd',
      OSTREE_OSNAME: 'poky', // sota.bbclass default (scarthgap and older)
      // two weak defaults: the machine file's ??= loses to sota.bbclass's later ??=
      SOTA_HARDWARE_ID: 'imx6qdlsabresd',
      GARAGE_TARGET_NAME: 'lmp-imx6qdlsabresd', // ${OSTREE_BRANCHNAME}
      GARAGE_SIGN_REPO: `${build}/tmp-glibc/deploy/images/imx6qdlsabresd/garage_sign_repo`,
      // mx6 is active: OSTREE_KERNEL_ARGS:mx6 replaces the weak default; :append still applies
      OSTREE_KERNEL_ARGS: 'console=ttymxc0,115200 root=LABEL=otaroot rootfstype=ext4 quiet',
      OSTREE_KERNEL: 'zImage', // ??= "${KERNEL_IMAGETYPE}", from the machine file
      // the continued value keeps the continuation lines' leading whitespace
      OSTREE_DEVICETREE: '     imx6q-sabresd.dtb     imx6dl-sabresd.dtb ',
      OSTREE_BOOTLOADER: 'u-boot',
      // bitbake.conf's ?= (after the includes) comes before sota.bbclass's u-boot-aware ?=
      INITRAMFS_FSTYPES: 'cpio.gz',
      OSTREE_COMMIT_SUBJECT: 'Commit-id: core-image-minimal-imx6qdlsabresd',
      OSTREE_COMMIT_VERSION: '5.0.7', // poky.conf's DISTRO_VERSION
      IMAGE_ROOTFS_EXTRA_SPACE: '1024',
      IMAGE_ROOTFS_SIZE: '65536', // bitbake.conf ??=
      IMAGE_OVERHEAD_FACTOR: '1.3',
      IMAGE_ROOTFS_ALIGNMENT: '1',
      SOTA_MACHINE: 'none', // no SOTA_MACHINE:<override> of sota.bbclass is active
      DL_DIR: '/srv/yocto/downloads',
      BB_NUMBER_THREADS: '8',
      SOTA_PACKED_CREDENTIALS: undefined,
    };
    const actual = Object.fromEntries(Object.keys(expected).map((name) => [name, settings.get(name)]));
    assert.deepEqual(actual, expected);
  });

  it('reads the typed values', () => {
    assert.equal(settings.bool('OSTREE_UPDATE_SUMMARY'), true);
    assert.equal(settings.bool('OSTREE_SYSROOT_READONLY'), false);
    assert.deepEqual(settings.list('OSTREE_DEVICETREE'), ['imx6q-sabresd.dtb', 'imx6dl-sabresd.dtb']);
    assert.equal(settings.number('IMAGE_OVERHEAD_FACTOR'), 1.3);
    assert.equal(settings.number('IMAGE_ROOTFS_MAXSIZE'), undefined);
  });

  it('warns only that the credentials are not set', () => {
    assert.deepEqual(settings.warnings, ['SOTA_PACKED_CREDENTIALS not set. Please add SOTA_PACKED_CREDENTIALS. Pushing, signing and checking on the server are skipped.']);
  });

  it('records where each value comes from', () => {
    const describe = (name: string) => settings.history(name).map((e) => ('file' in e.origin ? `${e.op} ${e.origin.file.slice(tmp.path.length)}:${e.origin.line} ${e.value}` : `${e.op} [${e.origin.source}] ${e.value}`));
    assert.deepEqual(describe('OSTREE_BRANCHNAME'), [
      'set /build/conf/local.conf:8 lmp-${MACHINE}',
      'set? /build/../layers/meta-freescale/conf/machine/imx6qdlsabresd.conf:9 machine-branch',
      'set? [default from meta-updater classes/sota.bbclass] ${SOTA_HARDWARE_ID}',
    ]);
    assert.deepEqual(describe('OSTREE_KERNEL_ARGS'), [
      ':append /build/conf/local.conf:10  quiet',
      'set [default from meta-updater classes/sota.bbclass] ${OSTREE_KERNEL_ARGS_COMMON}',
      'override[mx6]:set /build/conf/local.conf:9 console=ttymxc0,115200 ${OSTREE_KERNEL_ARGS_COMMON}',
    ]);
  });
});
