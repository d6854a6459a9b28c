// The evaluated configuration: BitBake's datastore semantics (bitbake
// lib/bb/data_smart.py), reimplemented. A variable holds flags (`_content` is the
// value, `_defaultval` the weak default of `??=`) and deferred :append/:prepend/
// :remove operations; `VAR:o` variables replace VAR while override `o` is active.
// Values are stored unexpanded and expanded when read. Every change keeps its origin
// for `config --history`.
//
// One addition: pinned values (environment, --set). A pinned variable reads as its
// pin whatever the files do, so includes and overrides already see it while parsing.
import { UserError } from '../errors.js';
import { ConfParseError, ExpansionError } from './errors.js';
import { expandText } from './expand.js';
import { isLocation, type Origin } from './origin.js';
import { pySplit, pySplitKeepingWhitespace } from './pystr.js';

export interface HistoryEntry {
  /** BitBake's operation names: set, set?, immediate, append, prepend, postdot, predot,
   *  :append, :remove[o], exported, del, delFlag, override[o]:set… */
  readonly op: string;
  /** The value as written (before expansion). */
  readonly value: string;
  readonly flag?: string;
  readonly origin: Origin;
}

interface Deferred {
  readonly value: string;
  /** `A:append:o1:o2` → "o1:o2": applies only while all of them are active. */
  readonly override?: string;
}

type DeferredKind = 'append' | 'prepend' | 'remove';

interface Variable {
  readonly flags: Map<string, string>;
  readonly append: Deferred[];
  readonly prepend: Deferred[];
  readonly remove: Deferred[];
}

export interface ChangeInfo {
  /** Where the change comes from; without one nothing is recorded (internal changes). */
  origin?: Origin;
  op?: string;
  /** The value as the user wrote it, when it differs from what is stored (+=, ?=…). */
  detail?: string;
}

export interface SetVarOptions extends ChangeInfo {
  /** Assignments from files: keep pending :append/:prepend/:remove and overrides. */
  parsing?: boolean;
}

export interface GetVarOptions {
  /** Expand ${…} (default true). */
  expand?: boolean;
  /** Only the plain value: no overrides, no deferred operations (what parsing sees). */
  parsing?: boolean;
  /** Ignore `??=` weak defaults (what ?=, += and friends see). */
  noWeakDefault?: boolean;
}

const OLD_OVERRIDE_SYNTAX = /_append|_prepend|_remove/;
const DEFERRED_OPERATION = /^(.*?)(:append|:prepend|:remove)(?::([^A-Z]*))?$/s;
/** BitBake checks only that an override starts with one of these. */
const OVERRIDE_START = /^[a-z0-9]/;
const OVERRIDE_ROUNDS = 5;
/** Deeper than this is a runaway chain; stop before the JavaScript stack does. */
const MAX_EXPANSION_DEPTH = 500;
const TRUE_WORDS = new Set(['y', 'yes', '1', 'true']);

function fail(problem: string, origin: Origin | undefined): Error {
  return origin ? new ConfParseError(problem, origin) : new UserError(problem);
}

export class DataStore {
  private readonly vars = new Map<string, Variable>();
  /** For VAR, the variables VAR:… that replace it while their override is active. */
  private readonly overrideData = new Map<string, { name: string; override: string }[]>();
  private readonly pins = new Map<string, { value: string; origin: Origin }>();
  private readonly records = new Map<string, HistoryEntry[]>();
  /** Active overrides (OVERRIDES split on ':'); recomputed after any change. */
  private overrides: string[] | undefined;
  private computingOverrides = false;
  /** Variables being expanded, outermost first: a repeat is a reference cycle. */
  private expanding: string[] = [];
  private readonly expanded = new Map<string, string | undefined>();

  // ---- writing ----

  setVar(name: string, value: string, options: SetVarOptions = {}): void {
    const { origin } = options;
    if (!name.startsWith('__anon_') && OLD_OVERRIDE_SYNTAX.test(name)) {
      throw fail(
        `Variable ${name} contains an operation using the old override syntax. Please convert this layer/metadata before attempting to use with a newer bitbake.`,
        origin,
      );
    }
    this.changed();
    const detail = options.detail ?? value;
    const hasColon = name.includes(':');
    const deferred = hasColon ? DEFERRED_OPERATION.exec(name) : null;
    if (deferred) {
      const [, base, keyword, override] = deferred;
      this.variable(base)[keyword.slice(1) as DeferredKind].push({ value, override });
      this.record(base, origin, override ? `${keyword}[${override}]` : keyword, detail);
      this.registerOverrides(base);
      return;
    }
    if (!options.parsing) this.dropPendingChanges(name);
    if (hasColon) this.registerOverrides(name);
    this.variable(name).flags.set('_content', value);
    this.record(name, origin, options.op, detail);
  }

  setVarFlag(name: string, flag: string, value: string, info: ChangeInfo = {}): void {
    this.changed();
    this.record(name, info.origin, info.op, info.detail ?? value, flag);
    this.variable(name).flags.set(flag, value);
    if (flag === '_defaultval' && name.includes(':')) this.registerOverrides(name);
  }

  delVar(name: string, info: ChangeInfo = {}): void {
    this.changed();
    this.record(name, info.origin, 'del', '');
    this.vars.delete(name);
    this.overrideData.delete(name);
    this.forEachOverrideParent(name, (parent, override) => {
      const variants = this.overrideData.get(parent);
      if (variants) this.overrideData.set(parent, variants.filter((v) => !(v.name === name && v.override === override)));
    });
  }

  delVarFlag(name: string, flag: string, info: ChangeInfo = {}): void {
    const variable = this.vars.get(name);
    if (!variable?.flags.has(flag)) return;
    this.changed();
    this.record(name, info.origin, 'delFlag', '', flag);
    variable.flags.delete(flag);
    variable.flags.delete(`_defaultval_flag_${flag}`);
  }

  /** Fixes the value of `name`: files can no longer change it (environment, --set). */
  pin(name: string, value: string, origin: Origin): void {
    this.changed();
    this.pins.set(name, { value, origin });
  }

  /**
   * Renames variables whose names hold ${…} to their expanded names, after parsing
   * (bitbake lib/bb/data.py expandKeys). Returns BitBake's warnings.
   */
  expandKeys(): string[] {
    const warnings: string[] = [];
    const renames = [...this.vars.keys()]
      .filter((key) => key.includes('${'))
      .map((key) => [key, this.expand(key)] as const)
      .filter(([key, expandedKey]) => key !== expandedKey)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, expandedKey] of renames) {
      const existing = this.getVar(expandedKey, { expand: false });
      const renamed = this.getVar(key, { expand: false });
      if (existing !== undefined && renamed !== undefined) {
        warnings.push(`Variable key ${key} (${renamed}) replaces original key ${expandedKey} (${existing}).`);
      }
      this.renameVar(key, expandedKey);
    }
    return warnings;
  }

  /** Replaces `${name}` by its current value in every variable (how layer.conf's LAYERDIR is frozen). */
  expandVarref(name: string, origin: Origin): void {
    const reference = `\${${name}}`;
    const value = this.getVar(name, { expand: false }) ?? '';
    for (const key of [...this.vars.keys()]) {
      const current = this.getVar(key, { expand: false });
      if (current?.includes(reference)) this.setVar(key, current.replaceAll(reference, value), { origin });
    }
  }

  // ---- reading ----

  getVar(name: string, options: GetVarOptions = {}): string | undefined {
    const { expand = true, parsing = false, noWeakDefault = false } = options;
    const cacheable = expand && !parsing && !noWeakDefault && !this.computingOverrides;
    if (cacheable && this.expanded.has(name)) return this.expanded.get(name);
    const { value } = this.content(name, expand, parsing, noWeakDefault);
    if (cacheable) this.expanded.set(name, value);
    return value;
  }

  getVarFlag(name: string, flag: string, options: { expand?: boolean; noWeakDefault?: boolean } = {}): string | undefined {
    if (flag === '_content') return this.getVar(name, options);
    const { expand = true, noWeakDefault = false } = options;
    const flags = this.vars.get(name)?.flags;
    const value = flags?.get(flag) ?? (noWeakDefault ? undefined : flags?.get(`_defaultval_flag_${flag}`));
    return expand && value !== undefined ? this.expandValue(value, `${name}[${flag}]`) : value;
  }

  /** Expands a free text (no variable of its own). */
  expand(text: string): string {
    return expandText(text, undefined, this.reader);
  }

  /** Expands `text` as the value of `name` (a self-reference is an error); errors in `text` itself stay unlocated. */
  expandAs(text: string, name: string): string {
    return expandText(text, name, this.reader);
  }

  isExported(name: string): boolean {
    return TRUE_WORDS.has((this.getVarFlag(name, 'export') ?? '').toLowerCase());
  }

  /** Names that have ever been assigned, flagged or deferred-to, with their history. */
  recordedNames(): string[] {
    return [...this.records.keys()];
  }

  /**
   * Each operation on `name` in order, then those on its override variants (as
   * `override[o]:op`, like bitbake-getvar), then the pin that decides it, if any.
   */
  history(name: string): HistoryEntry[] {
    const entries = [...(this.records.get(name) ?? [])];
    for (const { name: variant, override } of this.overrideData.get(name) ?? []) {
      for (const e of this.records.get(variant) ?? []) {
        if (e.flag && !e.flag.startsWith('_') && !e.flag.startsWith(':')) continue;
        entries.push({ ...e, op: `override[${override}]:${e.op}` });
      }
    }
    const pin = this.pins.get(name);
    if (pin) entries.push({ op: 'set', value: pin.value, origin: pin.origin });
    return entries;
  }

  // ---- internals ----

  /** `d` as expansion and inline Python see it. */
  private readonly reader = {
    getVar: (name: string, expand: boolean): string | undefined => this.getVar(name, { expand }),
  };

  private changed(): void {
    this.overrides = undefined;
    this.expanded.clear();
  }

  private variable(name: string): Variable {
    let v = this.vars.get(name);
    if (!v) {
      v = { flags: new Map(), append: [], prepend: [], remove: [] };
      this.vars.set(name, v);
    }
    return v;
  }

  private record(name: string, origin: Origin | undefined, op = 'set', value: string, flag?: string): void {
    if (!origin) return;
    let list = this.records.get(name);
    if (!list) this.records.set(name, (list = []));
    list.push(flag === undefined ? { op, value, origin } : { op, value, flag, origin });
  }

  /** A value set outside parsing replaces everything: pending operations and active override variants. */
  private dropPendingChanges(name: string): void {
    const v = this.vars.get(name);
    if (v) for (const kind of ['append', 'prepend', 'remove'] as const) v[kind].length = 0;
    const variants = this.overrideData.get(name);
    if (!variants) return;
    const active = new Set(this.activeOverrides());
    for (const variant of variants) {
      if (variant.override.split(':').every((o) => active.has(o))) this.delVar(variant.name);
    }
    this.overrideData.delete(name);
  }

  /**
   * Walks the ways `name` can be read as an override of a shorter name, as BitBake
   * does: A:o1:o2 is A:o1 under o2 and A under "o1:o2".
   */
  private forEachOverrideParent(name: string, visit: (parent: string, override: string) => void): void {
    let cut = name.lastIndexOf(':');
    let override: string | undefined = name.slice(cut + 1);
    let parent = name.slice(0, cut);
    while (override && OVERRIDE_START.test(override)) {
      visit(parent, override);
      override = undefined;
      if (parent.includes(':')) {
        cut = parent.lastIndexOf(':');
        override = name.slice(cut + 1);
        parent = name.slice(0, cut);
        if (parent === '') override = undefined;
      }
    }
  }

  private registerOverrides(name: string): void {
    this.forEachOverrideParent(name, (parent, override) => {
      const variants = this.overrideData.get(parent) ?? [];
      if (!variants.some((v) => v.name === name && v.override === override)) {
        this.overrideData.set(parent, [...variants, { name, override }]);
      }
    });
  }

  /** OVERRIDES, iterated to a fixed point because it may depend on overridden variables. */
  private activeOverrides(): string[] {
    if (this.overrides) return this.overrides; // also the provisional list while computing
    // A separate evaluation: reading OVERRIDES here is no cycle even if a read of
    // OVERRIDES is what needed the overrides.
    const outerExpansion = this.expanding;
    this.expanding = [];
    this.computingOverrides = true;
    try {
      let current = this.overridesAssuming([]);
      for (let round = 0; round < OVERRIDE_ROUNDS; round++) {
        const next = this.overridesAssuming(current);
        if (next.length === current.length && next.every((o, i) => o === current[i])) {
          this.overrides = current;
          return current;
        }
        current = next;
      }
      this.overrides = undefined;
      throw new UserError(
        `Overrides could not be expanded into a stable state after ${OVERRIDE_ROUNDS} iterations, overrides must be being referenced by other overridden variables in some recursive fashion (last OVERRIDES: ${current.join(':')})`,
      );
    } finally {
      this.computingOverrides = false;
      this.expanding = outerExpansion;
    }
  }

  private overridesAssuming(provisional: string[]): string[] {
    this.overrides = provisional;
    return (this.getVar('OVERRIDES') ?? '').split(':');
  }

  /**
   * Which override variant of `name` is in effect: among the active ones, the one whose
   * override comes later in OVERRIDES wins; a combined A:o1:o2 counts once both are
   * active and ranks by its parts from the right.
   */
  private selectedOverride(name: string): string | undefined {
    const variants = this.overrideData.get(name);
    if (!variants?.length) return undefined;
    const overrides = this.activeOverrides();
    const activeSet = new Set(overrides);
    const active = new Map<string, string>();
    for (const { name: variant, override } of variants) {
      if (activeSet.has(override) || (override.includes(':') && override.split(':').every((o) => activeSet.has(o)))) {
        active.set(override, variant);
      }
    }
    let selected: string | undefined;
    for (let changed = true; changed; ) {
      changed = false;
      for (const o of overrides) {
        for (const key of [...active.keys()]) {
          const variant = active.get(key) as string;
          if (key.endsWith(':' + o)) {
            active.delete(key);
            active.set(key.replaceAll(':' + o, ''), variant);
            changed = true;
          } else if (key === o) {
            selected = variant;
            active.delete(key);
          }
        }
      }
    }
    return selected;
  }

  /**
   * The value of `name`: override variant or own value (or weak default), then
   * :append/:prepend, expansion, and :remove last. `hits` are the removes that removed
   * something; a selected override variant hands them on to the variable it replaces.
   */
  private content(name: string, expand: boolean, parsing: boolean, noWeakDefault: boolean): { value?: string; raw?: string; hits: string[] } {
    const pin = this.pins.get(name);
    if (pin) return { raw: pin.value, value: expand ? this.expandValue(pin.value, name) : pin.value, hits: [] };
    const v = this.vars.get(name);
    let raw: string | undefined;
    const removes: string[] = [];
    if (!parsing) {
      const variant = this.selectedOverride(name);
      if (variant) {
        const sub = this.content(variant, true, false, false);
        raw = sub.raw;
        removes.push(...sub.hits);
      }
    }
    if (raw === undefined && v) {
      raw = v.flags.get('_content') ?? (noWeakDefault ? undefined : (v.flags.get('_defaultval') ?? v.flags.get('_defaultval_flag__content')));
    }
    if (!parsing && v) {
      for (const a of v.append) if (this.applies(a)) raw = (raw ?? '') + a.value;
      for (const p of v.prepend) if (this.applies(p)) raw = p.value + (raw ?? '');
    }
    if (!expand || raw === undefined) return { raw, value: raw, hits: [] };
    let value = this.expandValue(raw, name);
    if (!value || parsing) return { raw, value, hits: [] };
    for (const r of v?.remove ?? []) if (this.applies(r)) removes.push(r.value);
    const hits = new Set<string>();
    if (removes.length > 0) {
      const words = new Map([...new Set(removes)].map((r) => [r, new Set(pySplit(this.expand(r)))]));
      value = pySplitKeepingWhitespace(value)
        .filter((token) => {
          let keep = true;
          for (const [r, removed] of words) {
            if (removed.has(token)) {
              hits.add(r);
              keep = false;
            }
          }
          return keep;
        })
        .join('');
    }
    return { raw, value, hits: [...hits] };
  }

  private applies(d: Deferred): boolean {
    if (!d.override) return true;
    const overrides = this.activeOverrides();
    return d.override.split(':').every((o) => overrides.includes(o));
  }

  private expandValue(raw: string, name: string): string {
    const cycleStart = this.expanding.indexOf(name);
    if (cycleStart >= 0 || this.expanding.length >= MAX_EXPANSION_DEPTH) {
      const path = [...this.expanding.slice(Math.max(cycleStart, 0)), name].join(' -> ');
      const error = new ExpansionError(name, `\${${name}}`, raw, 'RecursionError', cycleStart >= 0 ? `variable ${name} references itself through ${path}` : `expansion nested deeper than ${MAX_EXPANSION_DEPTH} variables`);
      this.locate(error, name);
      throw error;
    }
    this.expanding.push(name);
    try {
      return expandText(raw, name, this.reader);
    } catch (e) {
      if (e instanceof ExpansionError) {
        if (!e.origin) this.locate(e, name);
        e.addVariable(name);
      }
      throw e;
    } finally {
      this.expanding.pop();
    }
  }

  /** Points the error at the assignment of `name` that holds the failing text, else its last one from a file. */
  private locate(error: ExpansionError, name: string): void {
    const entries = this.history(name.replace(/\[[^\]]*\]$/, '')).reverse();
    const holder = entries.find((e) => e.value.includes(error.failing)) ?? entries.find((e) => isLocation(e.origin));
    if (holder) error.locate(holder.origin);
  }

  private renameVar(key: string, newKey: string): void {
    const origin = { source: 'key expansion' };
    const value = this.getVar(key, { expand: false, parsing: true });
    let found = false;
    if (value !== undefined) {
      const list = this.records.get(newKey) ?? [];
      this.records.set(newKey, [...list, ...(this.records.get(key) ?? [])]);
      this.record(newKey, origin, `rename from ${key}`, value);
      this.setVar(newKey, value, { parsing: true });
      found = true;
    }
    const source = this.vars.get(key);
    for (const kind of ['append', 'prepend', 'remove'] as const) {
      if (source?.[kind].length) {
        this.variable(newKey)[kind].push(...source[kind]);
        found = true;
      }
    }
    const variants = this.overrideData.get(key);
    if (variants) {
      found = true;
      this.overrideData.set(newKey, variants.map((v) => ({ name: v.name.replaceAll(key, newKey), override: v.override })));
      for (const v of variants) this.renameVar(v.name, v.name.replaceAll(key, newKey));
    }
    if (!found) return;
    if (newKey.includes(':') && value === undefined) this.registerOverrides(newKey);
    this.record(key, origin, 'rename (to)', newKey);
    this.delVar(key);
  }
}
