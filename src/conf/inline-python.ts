// The inline Python `${@…}` that local.conf files use in practice, evaluated without
// Python: string literals, None/True/False, integers, `or`, d.getVar(),
// bb.utils.contains(), bb.utils.contains_any(), bb.utils.filter() and
// oe.utils.conditional(), with the semantics of their BitBake/oe-core definitions.
// Anything else is refused with a clear message rather than guessed at.
import { pySplit } from './pystr.js';

/** What the expression can see of the datastore: `d`. */
export interface PythonDatastore {
  getVar(name: string, expand: boolean): string | undefined;
}

/** The expression failed; `exception` names the Python exception BitBake would report. */
export class InlinePythonError extends Error {
  constructor(
    readonly exception: string,
    message: string,
  ) {
    super(message);
  }
}

/** An unterminated string literal: BitBake leaves such `${@…}` text unexpanded. */
export class UnterminatedStringError extends InlinePythonError {}

const SUPPORTED_PYTHON =
  "string literals, None, True, False, integers, 'or', d.getVar(), bb.utils.contains(), bb.utils.contains_any(), bb.utils.filter() and oe.utils.conditional()";

const DATASTORE = Symbol('d');
type PyValue = string | number | boolean | null | typeof DATASTORE;

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'punct'; value: '(' | ')' | ',' | '.' }
  | { kind: 'end' };

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unsupported(what: string): InlinePythonError {
  return new InlinePythonError('NotImplementedError', `${what}: yocto-ostree does not run Python; inline Python may use only ${SUPPORTED_PYTHON}`);
}

function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      if (code.startsWith(c.repeat(3), i)) throw unsupported('triple-quoted strings');
      let value = '';
      i++;
      while (code[i] !== c) {
        if (i >= code.length) throw new UnterminatedStringError('SyntaxError', 'unterminated string literal');
        if (code[i] === '\\' && i + 1 < code.length) {
          const escaped = code[i + 1];
          value += ESCAPES[escaped] ?? '\\' + escaped; // Python keeps unknown escapes as written
          i += 2;
        } else {
          value += code[i++];
        }
      }
      i++;
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(c)) {
      const digits = /^[0-9]+/.exec(code.slice(i))![0];
      tokens.push({ kind: 'number', value: Number(digits) });
      i += digits.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(code.slice(i))![0];
      tokens.push({ kind: 'name', value: name });
      i += name.length;
    } else if (c === '(' || c === ')' || c === ',' || c === '.') {
      tokens.push({ kind: 'punct', value: c });
      i++;
    } else {
      throw unsupported(`'${c}'`);
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

const truthy = (v: PyValue): boolean => v !== null && v !== false && v !== '' && v !== 0;

/** str(value), as Python prints it inside a larger string. */
function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === DATASTORE) return '<bb.data_smart.DataSmart object>';
  return String(v);
}

/** Python's sorted() on strings: code-point order. */
const byCodePoint = (a: string, b: string): number => {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const diff = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return x.length - y.length;
};

class Evaluator {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly d: PythonDatastore,
  ) {}

  run(): PyValue {
    const value = this.orExpression();
    if (this.peek().kind !== 'end') throw unsupported(`unexpected ${this.describe(this.peek())}`);
    return value;
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private describe(t: Token): string {
    return t.kind === 'end' ? 'end of expression' : `'${String(t.value)}'`;
  }

  private atPunct(p: '(' | ')' | ',' | '.'): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === p;
  }

  private expectPunct(p: '(' | ')' | ',' | '.'): void {
    const t = this.tokens[this.pos++];
    if (t.kind !== 'punct' || t.value !== p) throw unsupported(`expected '${p}', found ${this.describe(t)}`);
  }

  private orExpression(): PyValue {
    let value = this.primary();
    for (let t = this.peek(); t.kind === 'name' && t.value === 'or'; t = this.peek()) {
      this.pos++;
      const right = this.primary();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  private primary(): PyValue {
    const t = this.tokens[this.pos++];
    if (t.kind === 'string') {
      let s = t.value;
      for (let next = this.peek(); next.kind === 'string'; next = this.peek()) {
        s += next.value; // adjacent literals concatenate: 'a' 'b'
        this.pos++;
      }
      return s;
    }
    if (t.kind === 'number') return t.value;
    if (t.kind === 'punct' && t.value === '(') {
      const inner = this.orExpression();
      this.expectPunct(')');
      return inner;
    }
    if (t.kind !== 'name') throw unsupported(`unexpected ${this.describe(t)}`);
    if (t.value === 'None') return null;
    if (t.value === 'True') return true;
    if (t.value === 'False') return false;
    let dotted = t.value;
    while (this.atPunct('.')) {
      this.pos++;
      const part = this.tokens[this.pos++];
      if (part.kind !== 'name') throw unsupported(`unexpected ${this.describe(part)} after '${dotted}.'`);
      dotted += '.' + part.value;
    }
    if (dotted === 'd') return DATASTORE;
    if (!this.atPunct('(')) throw unsupported(`'${dotted}'`);
    return this.call(dotted, this.arguments());
  }

  private arguments(): PyValue[] {
    this.expectPunct('(');
    const args: PyValue[] = [];
    while (!this.atPunct(')')) {
      args.push(this.orExpression());
      if (!this.atPunct(',')) break;
      this.pos++;
    }
    this.expectPunct(')');
    return args;
  }

  private call(fn: string, args: PyValue[]): PyValue {
    const needs = (count: number[], types: string): void => {
      if (!count.includes(args.length)) {
        throw new InlinePythonError('TypeError', `${fn}() takes ${count.join(' or ')} arguments (${args.length} given)`);
      }
      if (args.some((a, i) => (types[i] === 's' && typeof a !== 'string') || (types[i] === 'd' && a !== DATASTORE))) {
        throw unsupported(`${fn}() with these argument types`);
      }
    };
    switch (fn) {
      case 'd.getVar': {
        needs([1, 2], 's');
        return this.d.getVar(args[0] as string, args.length === 1 || truthy(args[1])) ?? null;
      }
      case 'bb.utils.contains':
      case 'bb.utils.contains_any': {
        needs([5], 'ss??d');
        const value = this.d.getVar(args[0] as string, true);
        if (!value) return args[3];
        const have = new Set(pySplit(value));
        const wanted = pySplit(args[1] as string);
        const hit = fn === 'bb.utils.contains' ? wanted.every((w) => have.has(w)) : wanted.some((w) => have.has(w));
        return hit ? args[2] : args[3];
      }
      case 'bb.utils.filter': {
        needs([3], 'ssd');
        const value = this.d.getVar(args[0] as string, true);
        if (!value) return '';
        const have = new Set(pySplit(value));
        return [...new Set(pySplit(args[1] as string))].filter((w) => have.has(w)).sort(byCodePoint).join(' ');
      }
      case 'oe.utils.conditional': {
        needs([5], 's???d');
        return this.d.getVar(args[0] as string, true) === args[1] ? args[2] : args[3];
      }
      default:
        throw unsupported(`${fn}()`);
    }
  }
}

/** Evaluates the code of one `${@…}` and returns str() of the result. */
export function evaluateInlinePython(code: string, d: PythonDatastore): string {
  return pyStr(new Evaluator(tokenize(code.trim()), d).run());
}
