// `yocto-ostree config`, end to end through the built CLI. The runs start together
// in before() (each is a separate node process) and each test checks its own.
import assert from 'node:assert/strict';
import { SETTINGS } from '../../src/conf/schema.js';
import { cli } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { writeFiles } from './conf-helpers.js';
import { POKY_BUILD } from './poky-fixture.js';

describe('yocto-ostree config', function () {
  this.timeout(20000);
  const tmp = makeTempDir('conf-cli-');
  const build = `${tmp.path}/build`;
  /** The CLI with a clean environment (plus `env`), run in `cwd`. */
  const config = (args: string[], env: Record<string, string> = {}, cwd = tmp.path) =>
    cli(['config', ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, extendEnv: false });
  let runs: Record<'all' | 'history' | 'json' | 'invalid' | 'syntax', ReturnType<typeof config>>;
  before(() => {
    writeFiles(tmp.path, { ...POKY_BUILD, 'broken/conf/local.conf': 'MACHINE = "x"\n  OSTREE_REPO = "/x"\n' });
    const quiet = { SOTA_SKIP_CRED_WARN: '1' };
    runs = {
      all: config([], {}, `${build}/conf`),
      history: config(['--builddir', build, '--history', 'OSTREE_BRANCHNAME', 'OSTREE_OSNAME'], { ...quiet, OSTREE_OSNAME: 'envos' }),
      json: config(['--builddir', build, '--json', '--history', '--branch', 'main', 'OSTREE_BRANCHNAME', 'DISTRO_FEATURES', 'NOT_SET']),
      invalid: config(['--builddir', build, '--set', 'OSTREE_BRANCHNAME=not a ref', 'OSTREE_BRANCHNAME', 'OSTREE_OSNAME'], quiet),
      syntax: config(['--builddir', `${tmp.path}/broken`]),
    };
  });
  after(async () => {
    await Promise.allSettled(Object.values(runs));
    tmp.remove();
  });

  it('without names, prints every schema variable as a shell assignment, finding the build directory from the current one', async () => {
    const r = await runs.all;
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.deepEqual(
      lines.map((line) => /^(?:# )?([^=\s]+)/.exec(line)?.[1]),
      SETTINGS.map((s) => s.name),
    );
    for (const line of ['OSTREE_BRANCHNAME="lmp-imx6qdlsabresd"', 'OSTREE_REPO="/srv/ostree/imx6qdlsabresd"', '# IMAGE_ROOTFS_MAXSIZE is not set']) assert.ok(lines.includes(line), line);
    assert.equal(r.stderr, 'warning: SOTA_PACKED_CREDENTIALS not set. Please add SOTA_PACKED_CREDENTIALS. Pushing, signing and checking on the server are skipped.');
  });

  it('--history shows each assignment with file:line, operator and value, like bitbake-getvar', async () => {
    const r = await runs.history;
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '#',
        '# $OSTREE_BRANCHNAME [3 operations]',
        `#   set ${build}/conf/local.conf:8`,
        '#     "lmp-${MACHINE}"',
        `#   set? ${build}/../layers/meta-freescale/conf/machine/imx6qdlsabresd.conf:9`,
        '#     "machine-branch"',
        '#   set? [default from meta-updater classes/sota.bbclass]',
        '#     "${SOTA_HARDWARE_ID}"',
        '# pre-expansion value:',
        '#   "lmp-${MACHINE}"',
        'OSTREE_BRANCHNAME="lmp-imx6qdlsabresd"',
        '#',
        '# $OSTREE_OSNAME [2 operations]',
        '#   set? [default from meta-updater classes/sota.bbclass]',
        '#     "poky"',
        '#   set [environment]',
        '#     "envos"',
        '# pre-expansion value:',
        '#   "envos"',
        'OSTREE_OSNAME="envos"',
      ].join('\n'),
    );
  });

  it('--json gives one object with values and, with --history, where they come from', async () => {
    const r = await runs.json;
    assert.equal(r.exitCode, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.variables.OSTREE_BRANCHNAME.history.at(-1), { op: 'set', value: 'main', source: '--branch' });
    assert.equal(out.variables.OSTREE_BRANCHNAME.value, 'main');
    assert.deepEqual(out.variables.DISTRO_FEATURES.history[0], { op: ':append', value: ' sota usrmerge', file: `${tmp.path}/build/../layers/meta-updater/conf/distro/sota.conf.inc`, line: 2 });
    assert.deepEqual(out.variables.NOT_SET, { value: null, type: null, exported: false, history: [] });
    assert.equal(out.warnings.length, 1);
  });

  it('reports settings that cannot be used and exits 1', async () => {
    const r = await runs.invalid;
    assert.equal(r.exitCode, 1);
    assert.equal(r.stdout, '# OSTREE_BRANCHNAME = "not a ref" (--set): is not a valid OSTree ref (letters, digits, "_", "-", "." in "/"-separated parts)\nOSTREE_OSNAME="poky"');
    assert.equal(r.stderr, 'yocto-ostree: OSTREE_BRANCHNAME = "not a ref" (--set): is not a valid OSTree ref (letters, digits, "_", "-", "." in "/"-separated parts)');
  });

  it('a syntax error stops it with file:line', async () => {
    const r = await runs.syntax;
    assert.equal(r.exitCode, 1);
    assert.equal(r.stderr, `yocto-ostree: ${tmp.path}/broken/conf/local.conf:2: unparsed line: '  OSTREE_REPO = "/x"'`);
  });
});
