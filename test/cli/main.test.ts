// The command line itself: main.js loads only the command it is given, so the
// overview help, one command's help and the errors must still come out whole.
import assert from 'node:assert/strict';
import { cli } from '../helpers/run.js';

const COMMANDS = ['init', 'commit', 'config', 'delta', 'prune', 'sign', 'otaimg', 'inspect'];

describe('yocto-ostree command line', function () {
  this.timeout(30_000);

  it('--help lists every command', async () => {
    const r = await cli(['--help']);
    assert.equal(r.exitCode, 0, r.stderr);
    const listed = [...r.stdout.matchAll(/^ {2}yocto-ostree (\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(listed, COMMANDS);
  });

  it('<command> --help shows that command\'s options', async () => {
    const r = await cli(['commit', '--help']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^yocto-ostree commit\n/);
    assert.match(r.stdout, /--rootfs +Rootfs tarball/);
    assert.match(r.stdout, /--repo /);
  });

  it('a misspelt command: one line suggesting the right one, non-zero exit', async () => {
    const r = await cli(['comit', '--repo', 'x']);
    assert.notEqual(r.exitCode, 0);
    assert.equal(r.stdout, '');
    // yargs words the suggestion ("Did you mean commit?") in the user's locale.
    assert.match(r.stderr, /^yocto-ostree: [^\n]*\bcommit\b[^\n]*$/);
  });

  it('no command: an error, non-zero exit', async () => {
    const r = await cli([]);
    assert.notEqual(r.exitCode, 0);
    assert.equal(r.stderr, 'yocto-ostree: name a command; see --help');
  });
});
