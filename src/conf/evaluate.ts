// Statements → datastore changes, with BitBake's operator semantics (bitbake
// lib/bb/parse/ast.py, DataNode and friends). `+=`, `?=`… look at the plain current
// value, ignoring weak defaults and pending :append/:remove; `:=` expands at once;
// `??=` stores a weak default. Includes are handed to the caller (include.ts).
import { ExpansionError } from './errors.js';
import type { DataStore } from './datastore.js';
import { describeOrigin, type Origin } from './origin.js';
import type { Statement } from './parser.js';

export interface IncludeHandler {
  /** `include`/`require` of the (unexpanded) space-separated `files`. */
  include(files: string, origin: Origin, required: boolean): void;
  /** `include_all`: `files` from every directory of BBPATH. */
  includeAll(files: string, origin: Origin): void;
}

const OP_NAMES = { '=': 'set', '??=': 'set', ':=': 'immediate', '?=': 'set?', '+=': 'append', '=+': 'prepend', '.=': 'postdot', '=.': 'predot' } as const;
const DISCOURAGED_WITH_DEFERRED = new Set(['+=', '=+', '.=', '=.']);

export function evaluateStatements(statements: readonly Statement<Origin>[], store: DataStore, includes: IncludeHandler, warnings: string[]): void {
  for (const st of statements) {
    try {
      evaluateStatement(st, store, includes, warnings);
    } catch (e) {
      // Expanding this statement's own text (:=, include names) failed: point at it.
      if (e instanceof ExpansionError && !e.origin) e.locate(st.loc);
      throw e;
    }
  }
}

function evaluateStatement(st: Statement<Origin>, store: DataStore, includes: IncludeHandler, warnings: string[]): void {
  const origin = st.loc;
  switch (st.kind) {
    case 'assign':
      return assign(st, store, warnings);
    case 'include':
      return includes.include(st.files, origin, st.required);
    case 'include_all':
      return includes.includeAll(st.files, origin);
    case 'export':
      return store.setVarFlag(st.name, 'export', '1', { origin, op: 'exported' });
    case 'unset':
      return st.flag === undefined ? store.delVar(st.name, { origin }) : store.delVarFlag(st.name, st.flag, { origin });
    case 'addfragments':
      warnings.push(`${describeOrigin(origin)}: addfragments ignored: yocto-ostree does not read configuration fragments`);
      return;
  }
}

function assign(st: Extract<Statement<Origin>, { kind: 'assign' }>, store: DataStore, warnings: string[]): void {
  const { name, flag, op, value, loc: origin } = st;
  if (st.exported) store.setVarFlag(name, 'export', '1', { origin, op: 'exported' });
  // The plain value so far: no weak default, no pending :append/:remove, no overrides.
  const current = (): string | undefined =>
    flag === undefined
      ? store.getVar(name, { expand: false, noWeakDefault: true, parsing: true })
      : store.getVarFlag(name, flag, { expand: false, noWeakDefault: true });
  let stored: string;
  switch (op) {
    case '?=':
      stored = current() ?? value;
      break;
    case ':=':
      stored = store.expandAs(value, `${name}[:=]`);
      break;
    case '+=':
      stored = `${current() ?? ''} ${value}`;
      break;
    case '=+':
      stored = `${value} ${current() ?? ''}`;
      break;
    case '.=':
      stored = (current() ?? '') + value;
      break;
    case '=.':
      stored = value + (current() ?? '');
      break;
    default:
      stored = value;
  }
  if (/:append|:prepend|:remove/.test(name) && DISCOURAGED_WITH_DEFERRED.has(op)) {
    warnings.push(`${describeOrigin(origin)}: ${name} ${op} is not a recommended operator combination, please replace it.`);
  }
  const change = { origin, op: OP_NAMES[op], detail: value };
  const weak = op === '??=';
  if (flag !== undefined) store.setVarFlag(name, weak ? `_defaultval_flag_${flag}` : flag, stored, change);
  else if (weak) store.setVarFlag(name, '_defaultval', stored, change);
  else store.setVar(name, stored, { ...change, parsing: true });
}
