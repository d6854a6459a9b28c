// One test per row of ../shared/bitbake-semantics.md, with the value BitBake gives.
import assert from 'node:assert/strict';
import { resolveSettings } from '../../src/conf/settings.js';
import { UserError } from '../../src/errors.js';
import { makeTempDir } from '../helpers/tmp.js';
import { evaluate, values, writeFiles } from './conf-helpers.js';

describe('BitBake semantics table', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let n = 0;
  before(() => (tmp = makeTempDir('conf-semantics-')));
  after(() => tmp.remove());
  /** Evaluates `text` as a fresh file. */
  const conf = (text: string) => evaluate(tmp.path, text, `case-${++n}.conf`);
  /** Asserts that evaluating `text` fails at `line` with exactly `problem`. */
  const refuses = (text: string, line: number, problem: string | RegExp): void => {
    const name = `case-${++n}.conf`;
    assert.throws(
      () => evaluate(tmp.path, text, name),
      (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        const where = `${tmp.path}/${name}:${line}: `;
        assert.ok(e.message.startsWith(where), `${e.message} does not start with ${where}`);
        const text = e.message.slice(where.length);
        if (typeof problem === 'string') assert.equal(text, problem);
        else assert.match(text, problem);
        return true;
      },
    );
  };

  it('A = "v": stored unexpanded, expanded when read', () => {
    const { store } = conf('SEM_LATE = "${SEM_REF}"\nSEM_REF = "ref"\n');
    assert.equal(store.getVar('SEM_LATE'), 'ref');
    assert.equal(store.getVar('SEM_LATE', { expand: false }), '${SEM_REF}');
  });

  it('A := "v": expanded at parse time; unset references stay and expand later', () => {
    const { store } = conf('SEM_NOW := "${SEM_REF}"\nSEM_REF = "ref"\nSEM_SELF = "one"\nSEM_SELF := "${SEM_SELF} two"\n');
    assert.deepEqual(values(store, 'SEM_NOW', 'SEM_SELF'), ['ref', 'one two']);
    assert.equal(store.getVar('SEM_NOW', { expand: false }), '${SEM_REF}');
  });

  it('A ?= "v": sets only when unset at that line, ignoring weak defaults', () => {
    const { store } = conf('A ?= "first"\nA ?= "second"\nB = "hard"\nB ?= "soft"\nC ??= "weak"\nC ?= "soft"\n');
    assert.deepEqual(values(store, 'A', 'B', 'C'), ['first', 'hard', 'soft']);
  });

  it('A ??= "v": weak default, used only if nothing else sets A; the last one wins', () => {
    const { store } = conf('W ??= "w1"\nW ??= "w2"\nS ??= "weak"\nS ?= "soft"\n');
    assert.deepEqual(values(store, 'W', 'S'), ['w2', 'soft']);
    assert.equal(store.getVarFlag('W', '_defaultval'), 'w2');
  });

  it('+= / =+: one space, applied at once, discarding weak defaults; an unset variable keeps the space', () => {
    const { store } = conf('A ?= "soft"\nA += "plus"\nB ??= "weak"\nB += "plus"\nC += "x"\nD =+ "x"\n');
    assert.deepEqual(values(store, 'A', 'B', 'C', 'D'), ['soft plus', ' plus', ' x', 'x ']);
  });

  it('.= / =.: no space', () => {
    const { store } = conf('A = "a"\nA += "b"\nA =+ "z"\nA .= "c"\nA =. "y"\n');
    assert.equal(store.getVar('A'), 'yz a bc');
  });

  it(':append / :prepend: deferred to reading, no space, after immediate operations', () => {
    const { store } = conf('B = "base"\nB:append = "-app"\nB:prepend = "pre-"\nB += "plus"\nC:append = "-x"\nC = "c"\n');
    assert.deepEqual(values(store, 'B', 'C'), ['pre-base plus-app', 'c-x']);
  });

  it(':remove: applied last, removes whole words, keeps the other whitespace', () => {
    const { store } = conf('A = "x y z y"\nA:remove = "y"\nB = "ab abc"\nB:remove = "ab"\nC = "a"\nC:append = " b"\nC:remove = "b"\n');
    assert.deepEqual(values(store, 'A', 'B', 'C'), ['x  z ', ' abc', 'a ']);
  });

  it('VAR:ovr: the active override later in OVERRIDES wins; forcevariable last; A:o1:o2 needs both', () => {
    const { store } = conf(
      [
        'MACHINEOVERRIDES = "mx6:mx6q:imx6-oracle"',
        'OVERRIDES = "pn-oracle:${MACHINEOVERRIDES}:forcevariable"',
        'A = "base"',
        'A:mx6 = "mx6"',
        'A:imx6-oracle = "machine"',
        'B:imx6-oracle = "machine"',
        'B:pn-oracle = "pn"',
        'C:imx6-oracle = "machine"',
        'C:forcevariable = "forced"',
        'D = "base"',
        'D:mx6 = "mx6"',
        'D:mx6:imx6-oracle = "both"',
        'E:mx6:not-active = "never"',
        'E = "base"',
        '',
      ].join('\n'),
    );
    assert.deepEqual(values(store, 'A', 'B', 'C', 'D', 'E'), ['machine', 'machine', 'forced', 'both', 'base']);
  });

  it('VAR:append:ovr appends to VAR; VAR:ovr:append appends to VAR:ovr, which then replaces VAR', () => {
    const { store } = conf('MACHINEOVERRIDES = "mx6:imx6-oracle"\nOVERRIDES = "${MACHINEOVERRIDES}"\nA = "base"\nA:mx6:append = "-x"\nB = "v"\nB:append:imx6-oracle = "-m"\nB:append:other = "-never"\n');
    assert.deepEqual(values(store, 'A', 'B'), ['-x', 'v-m']);
  });

  it('old _append/_prepend/_remove: fatal, by substring of the name', () => {
    const problem = (name: string) =>
      `Variable ${name} contains an operation using the old override syntax. Please convert this layer/metadata before attempting to use with a newer bitbake.`;
    refuses('A = "x"\nA_append = " y"\n', 2, problem('A_append'));
    refuses('MY_remove_list = "x"\n', 1, problem('MY_remove_list'));
    refuses('IMAGE_INSTALL_prepend_mx6 = "x"\n', 1, problem('IMAGE_INSTALL_prepend_mx6'));
  });

  it(':append += and similar: accepted with "not a recommended operator combination"', () => {
    const { store, warnings, file } = conf('A = "a"\nA:append += "b"\n');
    assert.equal(store.getVar('A'), 'a b');
    assert.deepEqual(warnings, [`${file}:2: A:append += is not a recommended operator combination, please replace it.`]);
  });

  it('${@expr}: None prints as None; an unsupported expression fails at its line when := expands it', () => {
    const { store } = conf('A = "[${@None}]"\n');
    assert.equal(store.getVar('A'), '[None]');
    refuses('B = "ok"\nC := "${@1/0}"\n', 2, /^Failure expanding variable C\[:=\], expression was \$\{@1\/0\} which triggered exception NotImplementedError: '\/'/);
  });

  it('${X} undefined stays literal; $HOME and ${ X } are not references; nested references work', () => {
    const { store } = conf('U = "${SEM_UNDEFINED}"\nH = "$HOME"\nS = "${ NOT }"\nI = "${A_${@\'B\'}_C}"\nA_B_C = "indirect"\n');
    assert.deepEqual(values(store, 'U', 'H', 'S', 'I'), ['${SEM_UNDEFINED}', '$HOME', '${ NOT }', 'indirect']);
  });

  it('export A / export A = "v": flag export=1', () => {
    const { store } = conf('export SEM_EXP = "v"\nSEM_EXP2 = "w"\nexport SEM_EXP2\nSEM_NOEXP = "x"\n');
    assert.deepEqual(['SEM_EXP', 'SEM_EXP2', 'SEM_NOEXP'].map((v) => store.isExported(v)), [true, true, false]);
    assert.equal(store.getVar('SEM_EXP'), 'v');
  });

  it('unset A / unset A[flag]: deletes the variable or the flag', () => {
    const { store } = conf('SEM_DEL = "x"\nSEM_DEL:append = "y"\nunset SEM_DEL\nSEM_DELF = "kept"\nSEM_DELF[myflag] = "x"\nunset SEM_DELF[myflag]\n');
    assert.equal(store.getVar('SEM_DEL'), undefined);
    assert.equal(store.getVarFlag('SEM_DELF', 'myflag'), undefined);
    assert.equal(store.getVar('SEM_DELF'), 'kept');
  });

  it('A[flag] = v, += v, ??= v: variable flags, ??= through _defaultval_flag_<flag>', () => {
    const { store } = conf('SEM_FLAG[list] += "x"\nSEM_FLAG[list] += "y"\nSEM_FLAG[doc] ??= "weak"\nSEM_FLAG[set] = "${SEM_FLAG[list]}"\n');
    assert.equal(store.getVarFlag('SEM_FLAG', 'list'), ' x y');
    assert.equal(store.getVarFlag('SEM_FLAG', 'doc'), 'weak');
    assert.equal(store.getVarFlag('SEM_FLAG', '_defaultval_flag_doc'), 'weak');
    assert.equal(store.getVar('SEM_FLAG'), undefined);
  });

  it('include / require: several names, beside the file then BBPATH; missing include silent, missing require fatal; duplicates warn', () => {
    writeFiles(tmp.path, {
      'inc/beside.inc': 'BESIDE = "beside"\n',
      'layer/conf/one.inc': 'ONE = "from the layer, never read"\n',
      'layer/conf/two.inc': 'TWO = "from the layer"\n',
      'inc/conf/one.inc': 'ONE = "from beside"\n',
    });
    const { store, warnings, file } = evaluate(
      tmp.path,
      `BBPATH = "${tmp.path}/layer"\nNAMES = "conf/one.inc conf/two.inc"\ninclude \${NAMES}\ninclude beside.inc\ninclude does/not/exist.inc\nrequire beside.inc\n`,
      'inc/main.conf',
    );
    assert.deepEqual(values(store, 'ONE', 'TWO', 'BESIDE'), ['from beside', 'from the layer', 'beside']);
    assert.deepEqual(warnings, [`Duplicate inclusion for ${tmp.path}/inc/beside.inc in ${file}`]);
    refuses('require conf/missing.inc\n', 1, 'Could not include required file conf/missing.inc');
  });

  it('line continuation: the next line is joined with its leading whitespace, the backslash dropped', () => {
    const { store } = conf('A = "one \\\n    two \\\nthree"\n');
    assert.equal(store.getVar('A'), 'one     two three');
  });

  it('comments: only in the first column; no trailing comments; # inside quotes is text', () => {
    const { store } = conf('# a comment\n#A = "commented"\nB = "x # y"\n');
    assert.deepEqual(values(store, 'A', 'B'), [undefined, 'x # y']);
    refuses('A = "x"\n  # indented\n', 2, "unparsed line: '  # indented'");
    refuses('A = "x" # c\n', 1, `unparsed line: 'A = "x" # c'`);
    refuses('# comment \\\nA = "x"\n', 1, /^There is a confusing multiline, partially commented expression starting on line 1 of file .*case-\d+\.conf:\n# comment \\\nA = "x"\nPlease clarify/);
  });

  it('leading whitespace: an indented assignment is an unparsed line', () => {
    refuses('A = "x"\n  B = "y"\n', 2, `unparsed line: '  B = "y"'`);
  });

  it("quoting: ' or \", to the matching quote at the end; no escapes; exactly three quotes refused, four accepted", () => {
    const { store } = conf(`SEM_SQ = 'say "hi"'\nSEM_FOURQ = "a "b" c"\n`);
    assert.deepEqual(values(store, 'SEM_SQ', 'SEM_FOURQ'), ['say "hi"', 'a "b" c']);
    refuses('A = "a\\"b"\n', 1, `unparsed line: 'A = "a\\"b"'`);
    refuses('A = unquoted\n', 1, "unparsed line: 'A = unquoted'");
  });

  it('whitespace around =: optional (with a warning), tabs work', () => {
    const { store, warnings, file } = conf('SEM_NOSPACE="x"\nSEM_TAB\t=\t"y"\n');
    assert.deepEqual(values(store, 'SEM_NOSPACE', 'SEM_TAB'), ['x', 'y']);
    assert.deepEqual(warnings, [`${file}:1 has a lack of whitespace around the assignment: 'SEM_NOSPACE="x"'`]);
  });

  it('variable names: - . + ~ / are name characters; ${X} in a name expands after parsing', () => {
    const { store } = conf('SEM_DASH-NAME = "1"\nSEM.DOT = "2"\nSEM+PLUS = "3"\nSEM~TILDE = "4"\nKEY = "SEM_KEY"\n${KEY}_EXPANDED = "5"\n');
    assert.deepEqual(store.expandKeys(), []);
    assert.deepEqual(values(store, 'SEM_DASH-NAME', 'SEM.DOT', 'SEM+PLUS', 'SEM~TILDE', 'SEM_KEY_EXPANDED'), ['1', '2', '3', '4', '5']);
  });

  it("ordering: local.conf before the machine file: its ?= loses to local.conf, its ??= to anything", () => {
    const build = `${tmp.path}/ordering/build`;
    writeFiles(`${tmp.path}/ordering`, {
      'build/conf/bblayers.conf': 'BBPATH = "${TOPDIR}"\nBBLAYERS = "${TOPDIR}/../meta-board"\n',
      'meta-board/conf/layer.conf': 'BBPATH .= ":${LAYERDIR}"\n',
      'meta-board/conf/machine/board.conf': 'OSTREE_BRANCHNAME ?= "from-machine"\nSEM_WEAK ??= "machine-weak"\n',
      'build/conf/local.conf': 'MACHINE = "board"\nOSTREE_BRANCHNAME ?= "from-local"\nSEM_WEAK ?= "local-soft"\n',
    });
    const settings = resolveSettings({ builddir: build }, {});
    assert.equal(settings.get('OSTREE_BRANCHNAME'), 'from-local');
    assert.equal(settings.get('SEM_WEAK'), 'local-soft');
  });
});
