// Expansion and the inline-Python subset: values, laziness, and errors that name
// the file:line of the assignment holding the failing expression.
import assert from 'node:assert/strict';
import { ExpansionError } from '../../src/conf/errors.js';
import { makeTempDir } from '../helpers/tmp.js';
import { evaluate, values } from './conf-helpers.js';

describe('expansion and inline Python', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let n = 0;
  before(() => (tmp = makeTempDir('conf-expansion-')));
  after(() => tmp.remove());
  const conf = (text: string) => evaluate(tmp.path, text, `case-${++n}.conf`);

  it('evaluates the supported forms like BitBake and oe-core', () => {
    const { store } = conf(
      [
        'DISTRO_FEATURES = "systemd sota usrmerge"',
        'MACHINE = "imx6"',
        `GET = "\${@d.getVar('MACHINE')}"`,
        `RAW = "\${@d.getVar('GET', False)}"`,
        `NONE = "\${@d.getVar('UNSET_VAR')}"`,
        `OR = "\${@d.getVar('UNSET_VAR') or 'fallback'}"`,
        `YES = "\${@bb.utils.contains('DISTRO_FEATURES', 'sota systemd', 'both', 'not both', d)}"`,
        `NO = "\${@bb.utils.contains('DISTRO_FEATURES', 'sota x11', 'both', 'not both', d)}"`,
        `ANY = "\${@bb.utils.contains_any('DISTRO_FEATURES', 'x11 sota', 'one', 'none', d)}"`,
        `EMPTY = "\${@bb.utils.contains('UNSET_VAR', 'a', 'yes', 'no', d)}"`,
        `FILTER = "\${@bb.utils.filter('DISTRO_FEATURES', 'x11 usrmerge systemd', d)}"`,
        `COND = "\${@oe.utils.conditional('MACHINE', 'imx6', 'is imx6', 'other', d)}"`,
        `COND2 = "\${@oe.utils.conditional("MACHINE", "rpi", "is rpi", "other", d)}"`,
        `LIT = "\${@'a' 'b'}-\${@True}-\${@42}-\${@('x')}"`,
        `ESC = "\${@'tab\\there'}"`,
        '',
      ].join('\n'),
    );
    assert.deepEqual(values(store, 'GET', 'RAW', 'NONE', 'OR', 'YES', 'NO', 'ANY', 'EMPTY', 'FILTER', 'COND', 'COND2', 'LIT', 'ESC'), [
      'imx6',
      'imx6', // the unexpanded value is Python again, run by the next pass
      'None',
      'fallback',
      'both',
      'not both',
      'one',
      'no',
      'systemd usrmerge',
      'is imx6',
      'other',
      'ab-True-42-x',
      'tab\there',
    ]);
  });

  it('runs Python only once it holds no ${VAR}; references inside it expand first', () => {
    const { store } = conf(`WHICH = "MACHINE"\nMACHINE = "m"\nA = "\${@d.getVar('\${WHICH}')}"\n`);
    assert.equal(store.getVar('A'), 'm');
  });

  it('leaves an expression with an unterminated string alone, as BitBake does', () => {
    const { store } = conf(`A = "\${@'}'}"\n`);
    assert.equal(store.getVar('A'), "${@'}'}");
  });

  it('is lazy: unsupported Python is an error only when a value that needs it is read', () => {
    const { store, file } = conf(`UNUSED = "\${@os.path.exists('/etc')}"\nUSED = "fine"\nNEEDS = "x \${UNUSED}"\n`);
    assert.equal(store.getVar('USED'), 'fine');
    assert.throws(
      () => store.getVar('NEEDS'),
      (e: unknown) => {
        assert.ok(e instanceof ExpansionError);
        assert.equal(
          e.message,
          `${file}:1: Failure expanding variable UNUSED, expression was \${@os.path.exists('/etc')} which triggered exception NotImplementedError: os.path.exists(): yocto-ostree does not run Python; inline Python may use only string literals, None, True, False, integers, 'or', d.getVar(), bb.utils.contains(), bb.utils.contains_any(), bb.utils.filter() and oe.utils.conditional() (variable dependency chain: UNUSED -> NEEDS)`,
        );
        return true;
      },
    );
  });

  it('points at the assignment that holds the failing expression, even an :append', () => {
    const { store, file } = conf(`A = "ok"\nA:append = " \${@import os}"\n`);
    assert.throws(() => store.getVar('A'), (e: unknown) => e instanceof ExpansionError && e.message.startsWith(`${file}:2: Failure expanding variable A, expression was ok \${@import os}`));
  });

  it('wrong argument counts are a TypeError, as in Python', () => {
    const { store } = conf(`A = "\${@bb.utils.contains('X', d)}"\n`);
    assert.throws(() => store.getVar('A'), /triggered exception TypeError: bb\.utils\.contains\(\) takes 5 arguments \(2 given\)/);
  });

  it('a variable that references itself is an error; so is a longer cycle', () => {
    const { store, file } = conf('SELF = "a ${SELF}"\nP = "${Q}"\nQ = "${P}"\n');
    assert.throws(() => store.getVar('SELF'), (e: unknown) => e instanceof ExpansionError && e.message === `${file}:1: Failure expanding variable SELF, expression was a \${SELF} which triggered exception Exception: variable SELF references itself!`);
    assert.throws(() => store.getVar('P'), /references itself through P -> Q -> P/);
  });

  it('a runaway chain of references stops with an error, not a stack overflow', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `V${i} = "\${V${i + 1}}"`).join('\n');
    const { store } = conf(chain + '\n');
    assert.throws(() => store.getVar('V0'), /expansion nested deeper than/);
  });

  it('overrides may depend on overridden variables, resolved to a fixed point', () => {
    const { store } = conf('MACHINE = "m"\nMACHINEOVERRIDES = "${MACHINE}"\nMACHINEOVERRIDES:m = "fam:${MACHINE}"\nOVERRIDES = "${MACHINEOVERRIDES}"\nA = "base"\nA:fam = "family"\n');
    assert.deepEqual(values(store, 'OVERRIDES', 'A'), ['fam:m', 'family']);
  });

  it('overrides that never settle are an error', () => {
    const { store } = conf('OVERRIDES = "a"\nOVERRIDES:a = "b"\nOVERRIDES:b = "a"\nX = "1"\nX:a = "2"\n');
    assert.throws(() => store.getVar('X'), /Overrides could not be expanded into a stable state after 5 iterations/);
  });

  it("a :remove of an override variant is carried to the variable it replaces", () => {
    const { store } = conf('OVERRIDES = "mx6"\nE = "a b c"\nE:mx6 = "a b c d"\nE:mx6:remove = "b"\nE:append = " b x"\n');
    assert.equal(store.getVar('E'), 'a  c d  x');
  });
});
