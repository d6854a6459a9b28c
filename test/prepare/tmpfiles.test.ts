import assert from 'node:assert/strict';
import { declaredPaths, initScriptLine, renderInitScript, renderTmpfilesConf, tmpfilesLine, treeFileReader } from '../../src/prepare/tmpfiles-format.js';
import { INIT_SCRIPT, INIT_SCRIPT_LINK, usesSystemd, writeTmpfiles } from '../../src/prepare/tmpfiles.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';
import { mustRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/tmp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTRIES = [
  { type: 'd' as const, path: '/var/rootdirs', perms: 0o755, uid: 0, gid: 0 },
  { type: 'd' as const, path: '/var/spool/cron', perms: 0o1730, uid: 0, gid: 53 },
  { type: 'L' as const, path: '/var/run', target: '../run' },
  { type: 'f' as const, path: '/var/lib/a file', perms: 0o640, uid: 5, gid: 0 },
];

describe('prepare step tmpfiles', () => {
  it('writes tmpfiles.d lines as systemd-tmpfiles reads them (escapes, numeric owners)', () => {
    assert.deepEqual(ENTRIES.map(tmpfilesLine), [
      'd /var/rootdirs 0755 root root -',
      'd /var/spool/cron 1730 root 53 -',
      'L /var/run - - - - ../run',
      'f "/var/lib/a file" 0640 5 root -',
    ]);
    assert.equal(tmpfilesLine({ type: 'd', path: '/var/100%', perms: 0o755, uid: 0, gid: 0 }), 'd /var/100%% 0755 root root -');
  });

  it('writes usr/lib/tmpfiles.d/<name>.conf files on systemd images', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['usr/lib/systemd/systemd']);
    writeTmpfiles(tree, ctx, [{ name: '00ostree-tmpfiles', entries: ENTRIES.slice(0, 1) }, { name: 'empty', entries: [] }], {});
    const seen = describeTree(ctx, tree, 'usr/lib/tmpfiles.d');
    assert.deepEqual([...seen], [
      ['usr/lib/tmpfiles.d', 'dir 0755'],
      ['usr/lib/tmpfiles.d/00ostree-tmpfiles.conf', 'file 0644 d /var/rootdirs 0755 root root -\n'],
    ]);
  });

  it("writes meta-updater's init script form without systemd (usr/etc/init.d/tmpfiles.sh + rcS.d/S20 link)", () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, ['usr/etc/', 'sbin/init -> /sbin/init.sysvinit']);
    writeTmpfiles(tree, ctx, [{ name: 'a', entries: ENTRIES }], {});
    const seen = describeTree(ctx, tree);
    assert.match(seen.get(INIT_SCRIPT)!, /^file 0755 #!\/bin\/sh\n/);
    assert.equal(seen.get(INIT_SCRIPT_LINK), '-> ../init.d/tmpfiles.sh');
    assert.equal(initScriptLine(ENTRIES[3]), "mkf '/var/lib/a file' 0640 5:0");
  });

  it('both forms make the same /var: systemd-tmpfiles --create on the conf, sh on the script', async () => {
    const tmp = makeTempDir();
    try {
      const entries = [...ENTRIES, { type: 'd' as const, path: '/var/"odd" 100%', perms: 0o700, uid: 0, gid: 0 }];
      const listing = async (root: string): Promise<string[]> =>
        (await mustRun('find', [join(root, 'var'), '-mindepth', '1', '-printf', '%P|%y|%m|%U:%G|%l\n'])).trim().split('\n').sort();
      const conf = join(tmp.path, 'x.conf');
      writeFileSync(conf, renderTmpfilesConf(entries));
      await mustRun('systemd-tmpfiles', [`--root=${tmp.path}/a`, '--create', conf]);
      const script = join(tmp.path, 'tmpfiles.sh');
      writeFileSync(script, renderInitScript(entries.map((e) => ({ ...e, path: `${tmp.path}/b${e.path}` }))));
      await mustRun('sh', [script]);
      await mustRun('sh', [script]); // idempotent
      const expected = ['"odd" 100%|d|700|0:0|', 'lib/a file|f|640|5:0|', 'lib|d|755|0:0|', 'rootdirs|d|755|0:0|', 'run|l|777|0:0|../run', 'spool/cron|d|1730|0:53|', 'spool|d|755|0:0|'];
      assert.deepEqual(await listing(`${tmp.path}/a`), expected);
      assert.deepEqual(await listing(`${tmp.path}/b`), expected);
    } finally {
      tmp.remove();
    }
  });

  it('detects systemd from the tree, and the option overrides', () => {
    const ctx = memoryContext();
    assert.equal(usesSystemd(modelTree(ctx, ['usr/lib/systemd/systemd'])), true);
    assert.equal(usesSystemd(modelTree(ctx, ['sbin/init -> ../lib/systemd/systemd'])), true);
    assert.equal(usesSystemd(modelTree(ctx, ['sbin/init -> busybox'])), false);
    const tree = modelTree(ctx, ['usr/lib/systemd/systemd']);
    writeTmpfiles(tree, ctx, [{ name: 'x', entries: ENTRIES }], { systemd: false });
    assert.ok(tree.lookup(INIT_SCRIPT) && !tree.lookup('usr/lib/tmpfiles.d'));
  });

  it('reads the paths the image already declares (tmpfiles.d and sysvinit volatiles)', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, [
      ['usr/lib/tmpfiles.d/var.conf', '# comment\nq /var 0755 - - -\nd /var/log 0755 - - -\nL /var/run - - - - ../run\n'],
      ['usr/etc/default/volatiles/00_core', 'l root root 1777 /var/tmp /var/volatile/tmp\nd root root 0755 /var/volatile/log/ none\n'],
    ]);
    assert.deepEqual([...declaredPaths(tree, treeFileReader(tree, ctx.readFile))].sort(), ['/var', '/var/log', '/var/run', '/var/tmp', '/var/volatile/log']);
  });
});
