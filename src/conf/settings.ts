// The one place every command gets its settings from. Inputs, strongest first:
// --set VAR=VALUE and its shorthands (--repo, --branch, --os, --machine), the
// environment (only for schema variables), the build's conf files, schema defaults.
// --set and the environment pin a value before the files are read, so includes
// and overrides already see it, and no file can change it.
import fs from 'node:fs';
import path from 'node:path';
import type { Options } from 'yargs';
import { UsageError } from '../errors.js';
import type { DataStore, HistoryEntry } from './datastore.js';
import { VAR_REFERENCE } from './expand.js';
import { loadConfiguration, type Pin } from './load.js';
import { describeOrigin, isLocation, isUserOrigin, type Origin } from './origin.js';
import { pySplit } from './pystr.js';
import { findSetting, misspelling, SETTINGS } from './schema.js';
import { BOOLEAN_PROBLEM, parseBoolean, valueProblem } from './validate.js';

export type { HistoryEntry } from './datastore.js';

export interface SettingsArgs {
  conf?: string[];
  builddir?: string;
  set?: string[];
  [k: string]: unknown;
}

export interface Settings {
  /** The expanded final value, checked against its schema type; undefined when unset. */
  get(name: string): string | undefined;
  /** get(), but unset or empty is an error naming where it can be set. */
  require(name: string): string;
  /** oe.types.boolean of the value; unset is false. */
  bool(name: string): boolean;
  /** The value split on whitespace; unset is []. */
  list(name: string): string[];
  /** The value as a number (size, integer and number types); undefined when unset or empty. */
  number(name: string): number | undefined;
  /** The value before expansion, as bitbake-getvar shows it ("pre-expansion value"). */
  unexpanded(name: string): string | undefined;
  /** Whether the variable has the export flag. */
  exported(name: string): boolean;
  /** Every assignment, in order, with its origin; defaults, environment and --set included. */
  history(name: string): HistoryEntry[];
  /** Whether anything but a schema default assigned the variable (a conf file, the environment, --set). */
  isUserSet(name: string): boolean;
  /**
   * The value, or undefined when it is unset, empty, or only a default that cannot
   * be expanded here (OSTREE_KERNEL's ${KERNEL_IMAGETYPE} outside a build). A value
   * the user set that does not expand is still an error, or for a string type the
   * text as written.
   */
  optional(name: string): string | undefined;
  /** Whether a build's conf files were read (--builddir, one found above the current dir, or --conf). */
  readonly inBuild: boolean;
  /** Problems worth telling the user once: BitBake's parse warnings, did-you-mean, missing credentials. */
  readonly warnings: string[];
}

/** Coerces a repeated string option to a list (yargs gives a string when it is given once). */
const asList = (value: unknown): string[] => (value === undefined ? [] : ([] as unknown[]).concat(value).map(String));

const FLAGGED = SETTINGS.filter((s) => s.flag !== undefined);

/** The yargs options every command spreads into its builder. */
export const settingsOptions: Record<string, Options> = {
  conf: { type: 'string', coerce: asList, requiresArg: true, group: 'Settings:', describe: "Also read this BitBake .conf file, after the build directory's (repeatable)" },
  builddir: {
    type: 'string',
    requiresArg: true,
    group: 'Settings:',
    describe: 'Yocto build directory: reads its conf/local.conf (and the files BitBake reads with it) and sets TOPDIR. Default: the nearest directory with conf/local.conf at or above the current one',
  },
  set: { type: 'string', coerce: asList, requiresArg: true, group: 'Settings:', describe: 'VAR=VALUE: set a variable; wins over the environment and the conf files (repeatable)' },
  ...Object.fromEntries(FLAGGED.map((s) => [s.flag, { type: 'string', requiresArg: true, group: 'Settings:', describe: `Same as --set ${s.name}=…` } satisfies Options])),
};

const SET_ARGUMENT = /^([A-Za-z0-9\-_+./~]+)=(.*)$/s;

/** Environment, then --set, then the shorthand flags: later pins win. */
function collectPins(args: SettingsArgs, env: NodeJS.ProcessEnv): Pin[] {
  const pins: Pin[] = [];
  for (const setting of SETTINGS) {
    const value = env[setting.name];
    if (value !== undefined && setting.fromEnvironment !== false) pins.push({ name: setting.name, value, source: 'environment' });
  }
  for (const assignment of asList(args.set)) {
    const m = SET_ARGUMENT.exec(assignment);
    if (!m) throw new UsageError(`--set needs VAR=VALUE, got "${assignment}"`);
    pins.push({ name: m[1], value: m[2], source: '--set' });
  }
  for (const setting of FLAGGED) {
    const value = args[setting.flag as string];
    if (value !== undefined) pins.push({ name: setting.name, value: String(value), source: `--${setting.flag}` });
  }
  return pins;
}

/** Like BitBake looking for its conf/ upwards: the nearest directory with conf/local.conf. */
function findBuildDir(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'conf', 'local.conf'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function buildDirectory(args: SettingsArgs, cwd: string, extraFiles: string[]): string | undefined {
  if (args.builddir === undefined) return extraFiles.length > 0 ? undefined : findBuildDir(cwd);
  const dir = path.resolve(cwd, args.builddir);
  if (!fs.existsSync(path.join(dir, 'conf', 'local.conf'))) throw new UsageError(`--builddir ${args.builddir}: not a build directory (no conf/local.conf)`);
  return dir;
}

function confFiles(args: SettingsArgs, cwd: string): string[] {
  return asList(args.conf).map((file) => {
    const absolute = path.resolve(cwd, file);
    if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--conf ${file}: no such file`);
    return absolute;
  });
}

/** "did you mean …?" for misspelt OSTREE_/SOTA_/GARAGE_ names in the files and on the command line. */
function misspellings(store: DataStore, pins: readonly Pin[]): string[] {
  const warnings: string[] = [];
  const seen = new Set<string>();
  const check = (name: string, where: () => string | undefined): void => {
    const colon = name.indexOf(':');
    const base = colon < 0 ? name : name.slice(0, colon);
    const warning = misspelling(base);
    if (!warning || seen.has(base)) return;
    seen.add(base);
    const at = where();
    if (at) warnings.push(`${at}: ${warning}`);
  };
  for (const name of store.recordedNames()) {
    check(name, () => {
      const located = store.history(name).find((e) => isLocation(e.origin));
      return located && describeOrigin(located.origin);
    });
  }
  for (const pin of pins) check(pin.name, () => pin.source);
  return warnings;
}

class ResolvedSettings implements Settings {
  constructor(
    private readonly store: DataStore,
    readonly warnings: string[],
    readonly inBuild: boolean,
  ) {}

  get(name: string): string | undefined {
    const value = this.store.getVar(name);
    const setting = findSetting(name);
    const problem = value !== undefined && setting ? valueProblem(setting, value) : undefined;
    if (problem) throw new UsageError(`${name} = "${value}"${this.setAt(name)}: ${problem}`);
    return value;
  }

  require(name: string): string {
    const value = this.get(name);
    if (value) return value;
    const setting = findSetting(name);
    const places = ['local.conf', ...(setting?.fromEnvironment === false ? [] : ['the environment'])];
    const flags = ['--set', ...(setting?.flag ? [`--${setting.flag}`] : [])].join('/');
    throw new UsageError(`${name} is not set (set it in ${places.join(', ')} or with ${flags})`);
  }

  bool(name: string): boolean {
    const value = this.get(name);
    if (value === undefined) return false;
    const parsed = parseBoolean(value);
    if (parsed === undefined) throw new UsageError(`${name} = "${value}"${this.setAt(name)}: ${BOOLEAN_PROBLEM}`);
    return parsed;
  }

  list(name: string): string[] {
    return pySplit(this.get(name) ?? '');
  }

  number(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || value.trim() === '') return undefined;
    const parsed = Number(value);
    if (Number.isNaN(parsed)) throw new UsageError(`${name} = "${value}"${this.setAt(name)}: should be a number`);
    return parsed;
  }

  unexpanded(name: string): string | undefined {
    return this.store.getVar(name, { expand: false });
  }

  exported(name: string): boolean {
    return this.store.isExported(name);
  }

  history(name: string): HistoryEntry[] {
    return this.store.history(name);
  }

  isUserSet(name: string): boolean {
    return this.history(name).some((e) => isUserOrigin(e.origin));
  }

  optional(name: string): string | undefined {
    const userSet = this.isUserSet(name);
    try {
      const value = this.get(name);
      // A string type keeps a reference to an unset variable, as in BitBake; in a
      // default that only means the value is not known here.
      return value === '' || (!userSet && value !== undefined && VAR_REFERENCE.test(value)) ? undefined : value;
    } catch (e) {
      if (e instanceof UsageError && !userSet) return undefined;
      throw e;
    }
  }

  /** " (set at FILE:LINE)", " (environment)"…: what decided the value, for messages. */
  private setAt(name: string): string {
    const origin = decidingOrigin(this.history(name));
    if (!origin) return '';
    return isLocation(origin) ? ` (set at ${describeOrigin(origin)})` : ` (${origin.source})`;
  }
}

/**
 * The assignment that decided a value, read off its history: the last plain or
 * override assignment, a ?= only if nothing was set before it, a weak default only
 * if nothing else; deferred :append/:remove only modify. (A pin comes last.)
 */
function decidingOrigin(history: readonly HistoryEntry[]): Origin | undefined {
  let strong: Origin | undefined;
  let weak: Origin | undefined;
  for (const e of history) {
    if (e.op === 'del') strong = weak = undefined;
    else if (e.flag === '_defaultval') weak = e.origin;
    else if (e.flag !== undefined || e.op.startsWith(':')) continue;
    else if (e.op !== 'set?' || !strong) strong = e.origin;
  }
  return strong ?? weak;
}

export function resolveSettings(args: SettingsArgs, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Settings {
  const pins = collectPins(args, env);
  const extraFiles = confFiles(args, cwd);
  const builddir = buildDirectory(args, cwd, extraFiles);
  const { store, warnings } = loadConfiguration({
    topdir: builddir !== undefined ? { path: builddir, source: args.builddir !== undefined ? '--builddir' : 'build directory found from the current one' } : { path: cwd, source: 'current directory' },
    readBuildDir: builddir !== undefined,
    extraFiles,
    pins,
  });
  warnings.push(...misspellings(store, pins));
  // As meta-updater does in a build; a standalone run with no conf files asked for no server.
  const inBuild = builddir !== undefined || extraFiles.length > 0;
  if (inBuild && !store.getVar('SOTA_PACKED_CREDENTIALS') && store.getVar('SOTA_SKIP_CRED_WARN') !== '1') {
    warnings.push('SOTA_PACKED_CREDENTIALS not set. Please add SOTA_PACKED_CREDENTIALS. Pushing, signing and checking on the server are skipped.');
  }
  return new ResolvedSettings(store, warnings, inBuild);
}
