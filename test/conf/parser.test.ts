// The line-level grammar: what becomes which statement, at which line, and every
// syntax error with its file:line and BitBake's wording.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { ConfParseError } from '../../src/conf/errors.js';
import { parseConf } from '../../src/conf/parser.js';
import { ConfReader } from '../../src/conf/include.js';
import { DataStore } from '../../src/conf/datastore.js';
import { makeTempDir } from '../helpers/tmp.js';

const FILE = '/build/conf/local.conf';

function parseError(text: string): ConfParseError {
  try {
    parseConf(text, FILE);
  } catch (e) {
    assert.ok(e instanceof ConfParseError, String(e));
    return e;
  }
  assert.fail('expected a ConfParseError');
}

describe('conf parser', () => {
  it('turns each kind of line into its statement with its line number', () => {
    const { statements } = parseConf(
      [
        'export A = "1"',
        'B[doc] ??= "flag"',
        'include a.inc b.inc',
        'require ${X}.inc',
        'include_all conf/x.conf',
        'export C',
        'unset D',
        'unset E[flag]',
        'addpylib ${LAYERDIR}/lib oe',
        'addfragments conf/fragments OE_FRAGMENTS OE_FRAGMENTS_METADATA_VARS OE_FRAGMENTS_BUILTIN',
        '',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(
      statements.map((s) => [s.kind, s.loc.line]),
      [
        ['assign', 1],
        ['assign', 2],
        ['include', 3],
        ['include', 4],
        ['include_all', 5],
        ['export', 6],
        ['unset', 7],
        ['unset', 8],
        ['addfragments', 10],
      ],
    );
    assert.deepEqual(statements[0], { kind: 'assign', loc: { file: FILE, line: 1 }, name: 'A', flag: undefined, op: '=', value: '1', exported: true });
    assert.deepEqual(statements[1], { kind: 'assign', loc: { file: FILE, line: 2 }, name: 'B', flag: 'doc', op: '??=', value: 'flag', exported: false });
    assert.deepEqual(statements[3], { kind: 'include', loc: { file: FILE, line: 4 }, files: '${X}.inc', required: true });
    assert.deepEqual(statements[7], { kind: 'unset', loc: { file: FILE, line: 8 }, name: 'E', flag: 'flag' });
  });

  it('recognises every operator', () => {
    const ops = ['=', ':=', '?=', '??=', '+=', '=+', '.=', '=.'];
    const { statements } = parseConf(ops.map((op) => `A ${op} "v"`).join('\n'), FILE);
    assert.deepEqual(
      statements.map((s) => (s.kind === 'assign' ? s.op : s.kind)),
      ops,
    );
  });

  it('reads CRLF and CR line ends like Python universal newlines', () => {
    const { statements } = parseConf('A = "1"\r\nB = "2"\rC = "3"', FILE);
    assert.deepEqual(
      statements.map((s) => (s.kind === 'assign' ? [s.name, s.value, s.loc.line] : [])),
      [
        ['A', '1', 1],
        ['B', '2', 2],
        ['C', '3', 3],
      ],
    );
  });

  it('gives a continued statement the number of its last line, as BitBake does', () => {
    const { statements } = parseConf('\nA = "one \\\n two \\\n"\nB = "x"\n', FILE);
    assert.deepEqual(
      statements.map((s) => s.loc.line),
      [4, 5],
    );
  });

  it('skips blank and whitespace-only lines and comment blocks continued with #', () => {
    const { statements } = parseConf('   \n\t\n# one \\\n# two\nA = "x"\n', FILE);
    assert.equal(statements.length, 1);
  });

  describe('errors', () => {
    const cases: [string, string, number, string][] = [
      ['unparsed line', 'A = "x"\nnot a statement\n', 2, "unparsed line: 'not a statement'"],
      ['empty variable name', '= "x"\n', 1, `Empty variable name in assignment: '= "x"'`],
      ['empty variable name with flag', '[doc] = "x"\n', 1, `Empty variable name in assignment: '[doc] = "x"'`],
      ['unterminated quote', 'A = "x\n', 1, `unparsed line: 'A = "x'`],
      ['mismatched quotes', `A = "x'\n`, 1, `unparsed line: 'A = "x''`],
      ['three quotes', 'A = "a"b"\n', 1, `unparsed line: 'A = "a"b"'`],
      ['unquoted value', 'A = 1\n', 1, "unparsed line: 'A = 1'"],
      ['trailing comment', 'A = "1" # one\n', 1, `unparsed line: 'A = "1" # one'`],
      ['indented comment', '  # x\n', 1, "unparsed line: '  # x'"],
      ['leading whitespace', '\tA = "1"\n', 1, `unparsed line: '\tA = "1"'`],
      ['recipe syntax', 'inherit sota\n', 1, "unparsed line: 'inherit sota'"],
      ['python function', 'python do_x() {\n', 1, "unparsed line: 'python do_x() {'"],
      ['bad flag name', 'A[@x] = "1"\n', 1, `unparsed line: 'A[@x] = "1"'`],
      ['export of an override', 'export A:mx6\n', 1, "unparsed line: 'export A:mx6'"],
      ['bare include', 'include\n', 1, "unparsed line: 'include'"],
      ['continuation into nothing', '\\\n\n', 1, "a line continuation joins nothing: '\\\n'"],
      ['continuation at end of file', 'A = "x" \\', 2, `unparsed line: 'A = "x" '`],
    ];
    for (const [what, text, line, problem] of cases) {
      it(`${what}: ${problem.split('\n')[0]} at file:${line}`, () => {
        const e = parseError(text);
        assert.deepEqual([e.origin, e.problem], [{ file: FILE, line }, problem]);
        assert.equal(e.message, `${FILE}:${line}: ${problem}`);
      });
    }

    it('a commented line continued into a statement is "a confusing multiline" at its first line', () => {
      const e = parseError('A = "1"\n# B = "2" \\\nC = "3"\n');
      assert.deepEqual(e.origin, { file: FILE, line: 2 });
      assert.equal(
        e.problem,
        `There is a confusing multiline, partially commented expression starting on line 2 of file ${FILE}:\n# B = "2" \\\nC = "3"\nPlease clarify whether this is all a comment or should be parsed.`,
      );
    });

    it('bytes that are not UTF-8 are an error at their line', () => {
      const tmp = makeTempDir('conf-parser-');
      try {
        const file = `${tmp.path}/binary.conf`;
        fs.writeFileSync(file, Buffer.concat([Buffer.from('A = "1"\nB = "2"\nC = "'), Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('"\n')]));
        assert.throws(
          () => new ConfReader(new DataStore()).readFile(file, true, { source: 'test' }),
          (e: unknown) => e instanceof ConfParseError && e.message === `${file}:3: not a text file: the line is not valid UTF-8`,
        );
      } finally {
        tmp.remove();
      }
    });
  });
});
