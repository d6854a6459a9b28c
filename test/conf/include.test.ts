// include / require / include_all beyond the semantics-table row: search order,
// errors with file:line, cycles.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ConfParseError } from '../../src/conf/errors.js';
import { makeTempDir } from '../helpers/tmp.js';
import { evaluate, values, writeFiles } from './conf-helpers.js';

describe('include, require, include_all', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let n = 0;
  before(() => (tmp = makeTempDir('conf-include-')));
  after(() => tmp.remove());
  /** A fresh directory for one test. */
  const dir = (): string => {
    const d = `${tmp.path}/t${++n}`;
    fs.mkdirSync(d);
    return d;
  };
  const failsWith = (fn: () => unknown, message: string): void =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ConfParseError, String(e));
      assert.equal(e.message, message);
      return true;
    });

  it('searches BBPATH in order; the first layer that has the file wins', () => {
    const d = dir();
    writeFiles(d, { 'l1/conf/x.inc': 'X = "l1"\n', 'l2/conf/x.inc': 'X = "l2"\n', 'l2/conf/y.inc': 'Y = "l2"\n' });
    const { store } = evaluate(d, `BBPATH = "${d}/l1:${d}/l2"\nrequire conf/x.inc conf/y.inc\n`);
    assert.deepEqual(values(store, 'X', 'Y'), ['l1', 'l2']);
  });

  it('include_all includes the file from every layer of BBPATH', () => {
    const d = dir();
    writeFiles(d, { 'l1/conf/all.inc': 'ALL += "l1"\n', 'l3/conf/all.inc': 'ALL += "l3"\n' });
    const { store } = evaluate(d, `BBPATH = "${d}/l1:${d}/l2:${d}/l3"\ninclude_all conf/all.inc\n`);
    assert.equal(store.getVar('ALL'), ' l1 l3');
  });

  it('sets FILE to the file being evaluated', () => {
    const d = dir();
    writeFiles(d, { 'inner.inc': 'INNER := "${FILE}"\n' });
    const { store, file } = evaluate(d, 'require inner.inc\nOUTER := "${FILE}"\n');
    assert.deepEqual(values(store, 'INNER', 'OUTER'), [`${d}/inner.inc`, file]);
  });

  it('a missing require names the including file and line; a directory counts as missing', () => {
    const d = dir();
    fs.mkdirSync(`${d}/adir.conf`);
    failsWith(() => evaluate(d, 'A = "1"\nrequire ${A}/missing.inc\n', 'r1.conf'), `${d}/r1.conf:2: Could not include required file 1/missing.inc`);
    failsWith(() => evaluate(d, 'require adir.conf\n', 'r2.conf'), `${d}/r2.conf:1: Could not include required file ${d}/adir.conf`);
    failsWith(() => evaluate(d, `require ${d}/absent.inc\n`, 'r3.conf'), `${d}/r3.conf:1: Could not include required file ${d}/absent.inc`);
  });

  it('an unreadable file is an error even for include', function () {
    if (process.getuid?.() === 0) this.skip(); // root reads anything
    const d = dir();
    writeFiles(d, { 'secret.inc': 'S = "1"\n' });
    fs.chmodSync(`${d}/secret.inc`, 0);
    failsWith(() => evaluate(d, 'include secret.inc\n', 'u1.conf'), `${d}/u1.conf:1: Error parsing ${d}/secret.inc: Permission denied`);
    failsWith(() => evaluate(d, 'require secret.inc\n', 'u2.conf'), `${d}/u2.conf:1: Could not include required file ${d}/secret.inc: Permission denied`);
  });

  it('a syntax error in an included file is reported at its own file:line', () => {
    const d = dir();
    writeFiles(d, { 'bad.inc': 'OK = "1"\nBAD LINE\n' });
    failsWith(() => evaluate(d, 'include bad.inc\n'), `${d}/bad.inc:2: unparsed line: 'BAD LINE'`);
  });

  it('include cycles are detected; a file naming itself by its own path is skipped, as in BitBake', () => {
    const d = dir();
    writeFiles(d, { 'a.inc': 'A = "a"\ninclude b.inc\n', 'b.inc': 'B = "b"\nrequire a.inc\n' });
    failsWith(() => evaluate(d, 'include a.inc\n', 'cycle.conf'), `${d}/b.inc:2: include cycle: ${d}/a.inc -> ${d}/b.inc -> ${d}/a.inc`);
    const { store } = evaluate(d, `SELF += "once"\ninclude ${d}/self.conf\n`, 'self.conf');
    assert.equal(store.getVar('SELF'), ' once');
  });

  it('a file included twice is read twice, with BitBake\'s warning', () => {
    const d = dir();
    writeFiles(d, { 'twice.inc': 'T += "x"\n' });
    const { store, warnings, file } = evaluate(d, 'include twice.inc\ninclude twice.inc\n');
    assert.equal(store.getVar('T'), ' x x');
    assert.deepEqual(warnings, [`Duplicate inclusion for ${d}/twice.inc in ${file}`]);
  });
});
