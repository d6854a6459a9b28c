// `yocto-ostree config [VAR…]`: the resolved settings (all schema variables, or the
// ones named); with --history, every assignment behind each value in the format of
// `bitbake-getvar --history` (bitbake lib/bb/data_smart.py VariableHistory.emit).
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { describeOrigin, isLocation } from '../conf/origin.js';
import { findSetting, misspelling, SETTINGS } from '../conf/schema.js';
import { resolveSettings, settingsOptions, type HistoryEntry, type Settings, type SettingsArgs } from '../conf/settings.js';
import { createReporter } from './output.js';

interface ConfigArgs extends SettingsArgs {
  vars?: string[];
  json?: boolean;
  history?: boolean;
}

interface VariableReport {
  name: string;
  value?: string;
  error?: string;
}

/** Comment lines that show a multi-line text inside a `#` block. */
const commented = (text: string, indent: string): string => text.replace(/\n/g, `\n#${indent}`);

/** The value as a shell assignment, quoted the way bitbake-getvar quotes it. */
function assignment(name: string, value: string, exported: boolean): string {
  const quoted = value.replace(/"/g, '\\"').replace(/`/g, '\\`').replace(/\n/g, ' \\\n');
  return `${exported ? 'export ' : ''}${name}="${quoted}"`;
}

function historyBlock(name: string, settings: Settings, report: VariableReport): string {
  const history = settings.history(name);
  const unexpanded = settings.unexpanded(name) ?? 'None'; // as Python prints a missing value
  const lines: string[] = ['#'];
  if (history.length === 0) {
    lines.push(`# $${name}`, '#   [no history recorded]', '#', `#   "${commented(unexpanded, '   ')}"`);
  } else {
    lines.push(history.length === 1 ? `# $${name}` : `# $${name} [${history.length} operations]`);
    for (const e of history) {
      lines.push(`#   ${e.op} ${describeOrigin(e.origin)}`, `#     ${e.flag !== undefined ? `[${e.flag}] ` : ''}"${commented(e.value, '     ')}"`);
    }
    if (history.length > 1) lines.push('# pre-expansion value:', `#   "${commented(unexpanded, '   ')}"`);
  }
  if (report.value !== undefined) lines.push(assignment(name, report.value, settings.exported(name)));
  return lines.join('\n');
}

function historyJson(entries: HistoryEntry[]): object[] {
  return entries.map((e) => ({
    op: e.op,
    value: e.value,
    ...(e.flag !== undefined ? { flag: e.flag } : {}),
    ...(isLocation(e.origin) ? { file: e.origin.file, line: e.origin.line } : { source: e.origin.source }),
  }));
}

function resolveOne(name: string, settings: Settings): VariableReport {
  try {
    return { name, value: settings.get(name) };
  } catch (e) {
    if (e instanceof UserError) return { name, error: e.message };
    throw e;
  }
}

export const configCommand: CommandModule<object, ConfigArgs> = {
  command: 'config [vars..]',
  describe: 'Show the resolved settings (all yocto-ostree variables, or the ones named)',
  // Record<string, Options> option sets defeat yargs' type inference: ConfigArgs says what arrives.
  builder: (y) =>
    y
      .options(settingsOptions)
      .positional('vars', { type: 'string', array: true, describe: 'Variables to show (default: all the ones yocto-ostree reads)' })
      .option('history', { type: 'boolean', describe: 'Show every assignment of each variable, like bitbake-getvar --history' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<ConfigArgs>,
  handler: (args) => {
    const out = createReporter(args);
    const settings = resolveSettings(args);
    const names = args.vars?.length ? args.vars : SETTINGS.map((s) => s.name);
    const warnings = [...settings.warnings];
    for (const name of names) {
      const warning = misspelling(name);
      if (warning) warnings.push(warning);
    }
    for (const w of warnings) out.warn(w);
    const reports = names.map((name) => resolveOne(name, settings));
    for (const r of reports) {
      if (r.error !== undefined) out.info(`# ${r.error}`);
      if (args.history) out.info(historyBlock(r.name, settings, r));
      else if (r.value !== undefined) out.info(assignment(r.name, r.value, false));
      else if (r.error === undefined) out.info(`# ${r.name} is not set`);
    }
    out.result({
      variables: Object.fromEntries(
        reports.map((r) => [
          r.name,
          {
            value: r.value ?? null,
            type: findSetting(r.name)?.type ?? null,
            ...(r.error !== undefined ? { error: r.error } : {}),
            ...(args.history ? { exported: settings.exported(r.name), history: historyJson(settings.history(r.name)) } : {}),
          },
        ]),
      ),
      warnings,
    });
    const failed = reports.filter((r) => r.error !== undefined);
    if (failed.length === 1) throw new UserError(String(failed[0].error));
    if (failed.length > 1) throw new UserError(`${failed.length} settings cannot be used: ${failed.map((r) => r.name).join(', ')} (see above)`);
  },
};
