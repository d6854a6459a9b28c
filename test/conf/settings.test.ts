// The resolver every command uses: inputs and their precedence, typed reading,
// validation, and the warnings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { resolveSettings, settingsOptions } from '../../src/conf/settings.js';
import { UsageError, UserError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/tmp.js';
import { writeFiles } from './conf-helpers.js';

describe('settings', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let n = 0;
  before(() => (tmp = makeTempDir('conf-settings-')));
  after(() => tmp.remove());
  /** A build directory whose conf/local.conf is `localConf`. */
  const buildDir = (localConf: string, more: Record<string, string> = {}): string => {
    const dir = `${tmp.path}/build${++n}`;
    writeFiles(dir, { 'conf/local.conf': localConf, ...more });
    return dir;
  };
  const throwsUsage = (fn: () => unknown, message: string | RegExp): void =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    });

  it('without files: the defaults, DEPLOY_DIR_IMAGE derived from TOPDIR as oe-core does', () => {
    const cwd = `${tmp.path}/empty`;
    fs.mkdirSync(cwd);
    const s = resolveSettings({}, { MACHINE: 'qemux86-64' }, cwd);
    assert.equal(s.get('TOPDIR'), cwd);
    assert.equal(s.get('DEPLOY_DIR_IMAGE'), `${cwd}/tmp/deploy/images/qemux86-64`);
    assert.equal(s.get('OSTREE_REPO'), `${cwd}/tmp/deploy/images/qemux86-64/ostree_repo`);
    assert.equal(s.get('OSTREE_BRANCHNAME'), 'qemux86-64');
    assert.equal(s.get('OSTREE_OSNAME'), 'poky');
    assert.equal(s.get('GARAGE_SIGN_KEYNAME'), 'garage-key');
    assert.equal(s.get('SOTA_MACHINE'), 'qemux86-64'); // sota.bbclass's SOTA_MACHINE:qemux86-64
    assert.equal(s.get('OSTREE_KERNEL_ARGS'), 'root=LABEL=otaroot rootfstype=ext4');
    assert.equal(s.get('OSTREE_INITRAMFS_IMAGE'), 'initramfs-ostree-image');
  });

  it('--set > environment > files > defaults', () => {
    const dir = buildDir('OSTREE_BRANCHNAME = "from-file"\nOSTREE_OSNAME = "from-file"\nOSTREE_REPO = "/from/file"\nGARAGE_TARGET_NAME = "from-file"\n');
    const env = { OSTREE_BRANCHNAME: 'from-env', OSTREE_OSNAME: 'from-env', OSTREE_COMMIT_BODY: 'from-env' };
    const s = resolveSettings({ builddir: dir, set: ['OSTREE_BRANCHNAME=from-set'], repo: '/from/flag' }, env);
    assert.equal(s.get('OSTREE_BRANCHNAME'), 'from-set');
    assert.equal(s.get('OSTREE_OSNAME'), 'from-env');
    assert.equal(s.get('OSTREE_REPO'), '/from/flag');
    assert.equal(s.get('GARAGE_TARGET_NAME'), 'from-file');
    assert.equal(s.get('OSTREE_COMMIT_BODY'), 'from-env');
    assert.equal(s.get('GARAGE_SIGN_KEYNAME'), 'garage-key');
  });

  it('a pinned value wins over every file operation, and the files already see it', () => {
    const dir = buildDir('MACHINE ?= "imx6"\nOSTREE_BRANCHNAME:append = "-x"\nOSTREE_BRANCHNAME:qemux86-64 = "ovr"\nunset OSTREE_OSNAME\nSEEN := "${MACHINE}"\n', {
      'conf/machine/qemux86-64.conf': 'MACHINE_FILE = "qemu"\n',
      'conf/bblayers.conf': 'BBPATH = "${TOPDIR}"\nBBLAYERS = "${TOPDIR}"\n',
      'conf/layer.conf': '',
    });
    const s = resolveSettings({ builddir: dir, machine: 'qemux86-64', branch: 'main', os: 'myos' }, {});
    assert.deepEqual(
      ['MACHINE', 'SEEN', 'MACHINE_FILE', 'OSTREE_BRANCHNAME', 'OSTREE_OSNAME'].map((v) => s.get(v)),
      ['qemux86-64', 'qemux86-64', 'qemu', 'main', 'myos'],
    );
    const last = s.history('OSTREE_BRANCHNAME').pop();
    assert.deepEqual(last, { op: 'set', value: 'main', origin: { source: '--branch' } });
  });

  it('the environment counts only for schema variables, and never TMPDIR', () => {
    const s = resolveSettings({ builddir: buildDir('') }, { TMPDIR: '/tmp', HOME: '/root', DISTRO_FEATURES: 'x' });
    assert.equal(s.get('TMPDIR'), `${tmp.path}/build${n}/tmp`);
    assert.equal(s.get('HOME'), undefined);
    assert.equal(s.get('DISTRO_FEATURES'), 'x');
  });

  it('--builddir reads site.conf, auto.conf and local.conf in BitBake\'s order, then --conf files', () => {
    const dir = buildDir('ORDER += "local"\n', { 'conf/site.conf': 'ORDER += "site"\n', 'conf/auto.conf': 'ORDER += "auto"\n', 'extra.conf': 'ORDER += "extra"\n' });
    assert.equal(resolveSettings({ builddir: dir, conf: [`${dir}/extra.conf`] }, {}).get('ORDER'), ' site auto local extra');
    assert.equal(resolveSettings({ conf: [`${dir}/extra.conf`] }, {}, dir).get('ORDER'), ' extra', '--conf alone reads no build directory');
  });

  it('finds the build directory from the current directory, as bitbake does', () => {
    const dir = buildDir('MACHINE = "found"\n');
    fs.mkdirSync(`${dir}/tmp/work/deep`, { recursive: true });
    const s = resolveSettings({}, {}, `${dir}/tmp/work/deep`);
    assert.deepEqual([s.get('TOPDIR'), s.get('MACHINE')], [dir, 'found']);
  });

  it('require(): a clear error naming where the variable can be set', () => {
    const s = resolveSettings({ builddir: buildDir('OSTREE_BRANCHNAME = ""\n') }, {});
    throwsUsage(() => s.require('OSTREE_BRANCHNAME'), 'OSTREE_BRANCHNAME is not set (set it in local.conf, the environment or with --set/--branch)');
    throwsUsage(() => s.require('IMAGE_NAME'), 'IMAGE_NAME is not set (set it in local.conf, the environment or with --set)');
    throwsUsage(() => s.require('TMPDIR_UNKNOWN'), 'TMPDIR_UNKNOWN is not set (set it in local.conf, the environment or with --set)');
    assert.equal(s.require('OSTREE_OSNAME'), 'poky');
  });

  it('checks values against their type, naming where they were set', () => {
    const dir = buildDir(
      [
        'OSTREE_BRANCHNAME = "my branch"',
        'OSTREE_OSNAME = "-os"',
        'OSTREE_UPDATE_SUMMARY = "maybe"',
        'OSTREE_BOOTLOADER = "lilo"',
        'IMAGE_ROOTFS_SIZE = "64M"',
        'IMAGE_OVERHEAD_FACTOR = "x1.3"',
        'OSTREE_REPO = "${DEPLOY_DIR_IMAGE}/repo"',
        'OSTREE_COMMIT_SUBJECT = "${UNSET_IS_FINE_IN_TEXT}"',
        '',
      ].join('\n'),
    );
    const s = resolveSettings({ builddir: dir }, {});
    const at = (line: number) => `(set at ${dir}/conf/local.conf:${line})`;
    throwsUsage(() => s.get('OSTREE_BRANCHNAME'), `OSTREE_BRANCHNAME = "my branch" ${at(1)}: is not a valid OSTree ref (letters, digits, "_", "-", "." in "/"-separated parts)`);
    throwsUsage(() => s.get('OSTREE_OSNAME'), /^OSTREE_OSNAME = "-os" .*: is not a valid stateroot name/);
    throwsUsage(() => s.bool('OSTREE_UPDATE_SUMMARY'), `OSTREE_UPDATE_SUMMARY = "maybe" ${at(3)}: should be set to yes/y/true/t/1 or no/n/false/f/0`);
    throwsUsage(() => s.get('OSTREE_BOOTLOADER'), /should be one of u-boot, grub, syslinux, none, systemd-boot$/);
    throwsUsage(() => s.get('IMAGE_ROOTFS_SIZE'), /should be a size in KiB \(a whole number\)$/);
    throwsUsage(() => s.number('IMAGE_OVERHEAD_FACTOR'), /should be a number$/);
    throwsUsage(() => s.get('OSTREE_REPO'), `OSTREE_REPO = "${dir}/tmp/deploy/images/\${MACHINE}/repo" ${at(7)}: it refers to MACHINE, which is not set`);
    assert.equal(s.get('OSTREE_COMMIT_SUBJECT'), '${UNSET_IS_FINE_IN_TEXT}');
  });

  it('optional(): a default still referring to an unset variable is unset; a value the user set is not', () => {
    const dir = buildDir('OSTREE_COMMIT_SUBJECT = "Commit-id: ${UNSET}"\nOSTREE_REPO = "${UNSET}/repo"\n');
    const s = resolveSettings({ builddir: dir }, {});
    assert.equal(s.get('GARAGE_TARGET_NAME'), '${MACHINE}'); // via OSTREE_BRANCHNAME and SOTA_HARDWARE_ID
    assert.equal(s.optional('GARAGE_TARGET_NAME'), undefined);
    assert.equal(s.optional('OSTREE_KERNEL'), undefined, 'a path default get() refuses');
    assert.equal(s.optional('GARAGE_TARGET_VERSION'), undefined, 'empty');
    assert.equal(s.optional('OSTREE_COMMIT_SUBJECT'), 'Commit-id: ${UNSET}');
    throwsUsage(() => s.optional('OSTREE_REPO'), /: it refers to UNSET, which is not set$/);
    assert.equal(resolveSettings({ builddir: dir, machine: 'qemux86-64' }, {}).optional('GARAGE_TARGET_NAME'), 'qemux86-64');
  });

  it('SOTA_PACKED_CREDENTIALS: unset warns once (unless silenced); set but missing is an error', () => {
    const warning = 'SOTA_PACKED_CREDENTIALS not set. Please add SOTA_PACKED_CREDENTIALS. Pushing, signing and checking on the server are skipped.';
    assert.deepEqual(resolveSettings({ builddir: buildDir('') }, {}).warnings, [warning]);
    assert.deepEqual(resolveSettings({ builddir: buildDir('SOTA_SKIP_CRED_WARN = "1"\n') }, {}).warnings, []);
    const dir = buildDir('SOTA_PACKED_CREDENTIALS = "${TOPDIR}/credentials.zip"\n');
    const s = resolveSettings({ builddir: dir }, {});
    assert.deepEqual(s.warnings, []);
    throwsUsage(() => s.get('SOTA_PACKED_CREDENTIALS'), /: the file does not exist$/);
    fs.writeFileSync(`${dir}/credentials.zip`, '');
    assert.equal(resolveSettings({ builddir: dir }, {}).get('SOTA_PACKED_CREDENTIALS'), `${dir}/credentials.zip`);
  });

  it('did you mean…? for misspelt OSTREE_/SOTA_/GARAGE_ names in files and on the command line', () => {
    const dir = buildDir('OSTREE_BRANCH_NAME = "x"\nOSTREE_OS_NAME:mx6 = "y"\nSOTA_CLIENT_PROV = "known to meta-updater"\nOSTREE_SOMETHING_ELSE_ENTIRELY = "z"\nSOTA_HARDWAREID = "w"\n');
    const s = resolveSettings({ builddir: dir, set: ['GARAGE_TARGET_NAM=t'] }, { SOTA_SKIP_CRED_WARN: '1' });
    assert.deepEqual(s.warnings, [
      `${dir}/conf/local.conf:1: OSTREE_BRANCH_NAME is not a variable yocto-ostree or meta-updater knows; did you mean OSTREE_BRANCHNAME?`,
      `${dir}/conf/local.conf:2: OSTREE_OS_NAME is not a variable yocto-ostree or meta-updater knows; did you mean OSTREE_OSNAME?`,
      `${dir}/conf/local.conf:5: SOTA_HARDWAREID is not a variable yocto-ostree or meta-updater knows; did you mean SOTA_HARDWARE_ID?`,
      '--set: GARAGE_TARGET_NAM is not a variable yocto-ostree or meta-updater knows; did you mean GARAGE_TARGET_NAME?',
    ]);
  });

  it('passes BitBake\'s parse warnings on', () => {
    const dir = buildDir('A="x"\n');
    const s = resolveSettings({ builddir: dir }, { SOTA_SKIP_CRED_WARN: '1' });
    assert.deepEqual(s.warnings, [`${dir}/conf/local.conf:1 has a lack of whitespace around the assignment: 'A="x"'`]);
  });

  it('refuses bad command-line input', () => {
    throwsUsage(() => resolveSettings({ set: ['NOEQUALS'] }, {}, tmp.path), '--set needs VAR=VALUE, got "NOEQUALS"');
    throwsUsage(() => resolveSettings({ conf: ['missing.conf'] }, {}, tmp.path), '--conf missing.conf: no such file');
    throwsUsage(() => resolveSettings({ builddir: tmp.path }, {}, tmp.path), `--builddir ${tmp.path}: not a build directory (no conf/local.conf)`);
  });

  it('parse errors in the build directory surface with file:line', () => {
    const dir = buildDir('OSTREE_BRANCHNAME = "x"\nOSTREE_OSNAME_append = "y"\n');
    assert.throws(() => resolveSettings({ builddir: dir }, {}), (e: unknown) => e instanceof UserError && e.message.startsWith(`${dir}/conf/local.conf:2: Variable OSTREE_OSNAME_append contains an operation using the old override syntax.`));
  });

  it('bblayers.conf problems are errors worded like BitBake\'s', () => {
    const empty = buildDir('', { 'conf/bblayers.conf': 'BBPATH = "${TOPDIR}"\n' });
    assert.throws(() => resolveSettings({ builddir: empty }, {}), { message: `${empty}/conf/bblayers.conf: The bblayers.conf file doesn't contain any BBLAYERS definition` });
    const missing = buildDir('', { 'conf/bblayers.conf': 'BBLAYERS = "${TOPDIR}/../no-such-layer"\n' });
    assert.throws(() => resolveSettings({ builddir: missing }, {}), {
      message: `The following layer directories do not exist: ${missing}/../no-such-layer. Please check BBLAYERS in ${missing}/conf/bblayers.conf`,
    });
    const noLayerConf = buildDir('', { 'conf/bblayers.conf': 'BBLAYERS = "${TOPDIR}/conf"\n' });
    assert.throws(() => resolveSettings({ builddir: noLayerConf }, {}), { message: `[${noLayerConf}/conf/bblayers.conf]: Could not include required file ${noLayerConf}/conf/conf/layer.conf` });
  });

  it('ignores addfragments with a warning', () => {
    const dir = buildDir('addfragments conf/fragments OE_FRAGMENTS OE_FRAGMENTS_METADATA_VARS OE_FRAGMENTS_BUILTIN\n');
    assert.deepEqual(resolveSettings({ builddir: dir }, { SOTA_SKIP_CRED_WARN: '1' }).warnings, [`${dir}/conf/local.conf:1: addfragments ignored: yocto-ostree does not read configuration fragments`]);
  });

  it('offers the yargs options every command spreads in', () => {
    assert.deepEqual(Object.keys(settingsOptions).sort(), ['branch', 'builddir', 'conf', 'machine', 'os', 'repo', 'set']);
  });
});
