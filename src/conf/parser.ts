// BitBake .conf syntax: text → statements, each with its file:line. Nothing is
// evaluated here (see evaluate.ts). The line-level patterns and the messages are
// those of bitbake lib/bb/parse/parse_py/ConfHandler.py, so that we accept and
// refuse exactly what BitBake does.
import { ConfParseError } from './errors.js';
import type { Location, Origin } from './origin.js';
import { PY_WS, pyRstrip, pyStrip } from './pystr.js';

export type AssignOp = '=' | ':=' | '?=' | '??=' | '+=' | '=+' | '.=' | '=.';

/** A statement; `L` is Location for parsed files, a labelled Origin for built-in defaults. */
export type Statement<L extends Origin = Location> =
  | { kind: 'assign'; loc: L; name: string; flag?: string; op: AssignOp; value: string; exported: boolean }
  | { kind: 'include'; loc: L; files: string; required: boolean }
  | { kind: 'include_all'; loc: L; files: string }
  | { kind: 'export'; loc: L; name: string }
  | { kind: 'unset'; loc: L; name: string; flag?: string }
  /** addfragments: needs oe-core's fragment machinery, which a conf reader does not have. */
  | { kind: 'addfragments'; loc: L };

export interface ParsedConf {
  statements: Statement[];
  /** BitBake's parse-time warnings, already prefixed with file:line. */
  warnings: string[];
}

const WS = PY_WS;
const NAME = '[a-zA-Z0-9\\-_+.${}/~:]';
const PLAIN_NAME = '[a-zA-Z0-9\\-_+.${}/~]'; // export/unset: no ':'
// Lazy name, optional [flag], operator, then a value quoted from the first quote to
// the same quote at the end of the line; exactly three quotes of one kind is refused.
const ASSIGNMENT = new RegExp(
  `^(?<exp>export${WS}+)?(?<name>${NAME}*?)(?:\\[(?<flag>[a-zA-Z0-9\\-_+.][a-zA-Z0-9\\-_+.@/]*)\\])?` +
    `(?<ws1>${WS}*)(?<op>:=|\\?\\?=|\\?=|\\+=|=\\+|=\\.|\\.=|=)(?<ws2>${WS}*)` +
    `(?!'[^']*'[^']*'$)(?!"[^"]*"[^"]*"$)(?<quote>['"])(?<value>.*)\\k<quote>$`,
  's',
);
const INCLUDE = new RegExp(`^include${WS}+(.+)`, 's');
const REQUIRE = new RegExp(`^require${WS}+(.+)`, 's');
const INCLUDE_ALL = new RegExp(`^include_all${WS}+(.+)`, 's');
const EXPORT = new RegExp(`^export${WS}+(${PLAIN_NAME}+)$`);
const UNSET = new RegExp(`^unset${WS}+(${PLAIN_NAME}+)$`);
const UNSET_FLAG = new RegExp(`^unset${WS}+(${PLAIN_NAME}+)\\[([a-zA-Z0-9\\-_+.][a-zA-Z0-9\\-_+.@]+)\\]$`);
// addpylib adds Python library paths; with no Python here it has nothing to do.
const ADDPYLIB = new RegExp(`^addpylib${WS}+(.+)${WS}+(.+)`, 's');
const ADDFRAGMENTS = new RegExp(`^addfragments${WS}+(.+)${WS}+(.+)${WS}+(.+)${WS}+(.+)`, 's');

/**
 * Splits like Python's readline() in text mode (universal newlines). `count` excludes
 * the empty tail after a final newline, so reading past it behaves like EOF ("").
 */
function physicalLines(text: string): { lines: string[]; count: number } {
  const lines = text.split(/\r\n|\r|\n/);
  const count = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  return { lines, count };
}

export function parseConf(text: string, file: string): ParsedConf {
  const { lines, count } = physicalLines(text);
  const statements: Statement[] = [];
  const warnings: string[] = [];
  let index = 0;
  let lineno = 0;
  while (index < count) {
    let s = lines[index++];
    lineno++;
    const firstLine = lineno;
    if (pyStrip(s) === '') continue;
    s = pyRstrip(s);
    let original = s;
    // A trailing backslash joins the next line, its leading whitespace kept.
    while (s.endsWith('\\')) {
      const next = index < count ? lines[index++] : ''; // past the end: EOF
      original += '\n' + next;
      const s2 = pyRstrip(next);
      lineno++;
      if (s[0] === '#' && (s2 === '' || s2[0] !== '#')) {
        throw new ConfParseError(
          `There is a confusing multiline, partially commented expression starting on line ${firstLine} of file ${file}:\n${original}\nPlease clarify whether this is all a comment or should be parsed.`,
          { file, line: firstLine },
        );
      }
      s = s.slice(0, -1) + s2;
      // BitBake crashes (IndexError) when the joined line ends up empty.
      if (s === '') throw new ConfParseError(`a line continuation joins nothing: '${original}'`, { file, line: firstLine });
    }
    // Only a '#' in the first column starts a comment.
    if (s[0] === '#') continue;
    const statement = parseLine(s, { file, line: lineno }, warnings);
    if (statement) statements.push(statement);
  }
  return { statements, warnings };
}

function parseLine(s: string, loc: Location, warnings: string[]): Statement | undefined {
  const assignment = ASSIGNMENT.exec(s);
  if (assignment) {
    const g = assignment.groups as Record<string, string | undefined>;
    if (g.name === '') throw new ConfParseError(`Empty variable name in assignment: '${s}'`, loc);
    if (!g.ws1 || !g.ws2) warnings.push(`${loc.file}:${loc.line} has a lack of whitespace around the assignment: '${s}'`);
    return {
      kind: 'assign',
      loc,
      name: g.name as string,
      flag: g.flag,
      op: g.op as AssignOp,
      value: g.value as string,
      exported: g.exp !== undefined,
    };
  }
  let m: RegExpExecArray | null;
  if ((m = INCLUDE.exec(s))) return { kind: 'include', loc, files: m[1], required: false };
  if ((m = REQUIRE.exec(s))) return { kind: 'include', loc, files: m[1], required: true };
  if ((m = INCLUDE_ALL.exec(s))) return { kind: 'include_all', loc, files: m[1] };
  if ((m = EXPORT.exec(s))) return { kind: 'export', loc, name: m[1] };
  if ((m = UNSET.exec(s))) return { kind: 'unset', loc, name: m[1] };
  if ((m = UNSET_FLAG.exec(s))) return { kind: 'unset', loc, name: m[1], flag: m[2] };
  if (ADDPYLIB.test(s)) return undefined;
  if (ADDFRAGMENTS.test(s)) return { kind: 'addfragments', loc };
  throw new ConfParseError(`unparsed line: '${s}'`, loc);
}
