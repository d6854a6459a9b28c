// `yocto-ostree delta`: build a static delta to a commit (default: the branch
// head) from its parent, another commit or nothing (--empty), then rebuild the
// summary and delta indexes (and re-sign the summary when a key is set). The
// report shows what the update will cost a device.
import type { Argv, CommandModule } from 'yargs';
import { resolveSettings, settingsOptions, type SettingsArgs } from '../conf/settings.js';
import { resolveDeltaSource } from '../delta/delta-sources.js';
import { DELTA_DEFAULTS, generateDelta, type DeltaReport } from '../delta/generate.js';
import { UsageError } from '../errors.js';
import { Repo } from '../repo/repo.js';
import { Transaction } from '../repo/transaction.js';
import { regenerateSignedSummary } from '../sign/summary-signature.js';
import { createReporter, formatBytes, type Reporter } from './output.js';
import { signersFromSettings } from './publish-settings.js';

interface DeltaArgs extends SettingsArgs {
  to?: string;
  from?: string;
  'from-parent'?: boolean;
  empty?: boolean;
  inline?: boolean;
  bsdiff: boolean;
  'max-chunk-size': number;
  'min-fallback-size': number;
  'max-bsdiff-size': number;
  json?: boolean;
}

const MB = 1_000_000;

function describe(out: Reporter, r: DeltaReport): void {
  out.info(`static delta ${r.from ?? '(empty)'} → ${r.to}`);
  out.info(`  ${formatBytes(r.size)} in ${r.parts.length} part(s)${r.parts.some((p) => p.inline) ? ' inlined in the superblock' : ''} + superblock; ${r.fallbackSize > 0 ? `${formatBytes(r.fallbackSize)} fetched loose (fallbacks); ` : ''}${r.path}`);
  const o = r.objects;
  out.info(`  files: ${o.bsdiff} patched, ${o.whole} whole, ${o.fallback} fallback, ${o.symlink} symlinks; ${o.metadata} directory objects; ${o.unchanged} unchanged files not sent`);
  if (r.biggest.length > 0) {
    out.info('  biggest contributors (estimated bytes on the wire):');
    for (const b of r.biggest) out.info(`    ${formatBytes(b.bytes).padStart(10)}  ${b.how.padEnd(8)}  ${b.path}`);
  }
}

export const deltaCommand: CommandModule<object, DeltaArgs> = {
  command: 'delta',
  describe: 'Build a static delta (what devices download to update) and list it in the summary',
  builder: (y) =>
    y
      .options(settingsOptions)
      .option('to', { type: 'string', describe: 'Target commit: ref or checksum (default: the head of OSTREE_BRANCHNAME)' })
      .option('from', { type: 'string', describe: 'Start commit: ref or checksum' })
      .option('from-parent', { type: 'boolean', describe: 'Start from the parent of --to (the default)' })
      .option('empty', { type: 'boolean', describe: 'From nothing: a delta for devices that have no commit yet' })
      .option('inline', { type: 'boolean', describe: 'Put the parts inside the superblock (one file; small deltas only)' })
      .option('bsdiff', { type: 'boolean', default: true, describe: 'Send changed files as patches when smaller (--no-bsdiff: whole)' })
      .option('max-chunk-size', { type: 'number', default: DELTA_DEFAULTS.maxChunkSize / MB, describe: 'Largest part, in MB' })
      .option('min-fallback-size', { type: 'number', default: DELTA_DEFAULTS.minFallbackSize / MB, describe: 'Files bigger than this (MB) that do not patch well are fetched loose; 0: never' })
      .option('max-bsdiff-size', { type: 'number', default: DELTA_DEFAULTS.maxBsdiffSize / MB, describe: 'Do not patch when old + new exceed this (MB)' })
      .option('json', { type: 'boolean', describe: 'Print the report as one JSON object' }) as unknown as Argv<DeltaArgs>,
  handler: async (args) => {
    const out = createReporter(args);
    const settings = resolveSettings(args);
    for (const w of settings.warnings) out.warn(w);
    const chosen = [args.from !== undefined, Boolean(args['from-parent']), Boolean(args.empty)].filter(Boolean).length;
    if (chosen > 1) throw new UsageError('give only one of --from, --from-parent and --empty');
    for (const [flag, v] of [['max-chunk-size', args['max-chunk-size']], ['min-fallback-size', args['min-fallback-size']], ['max-bsdiff-size', args['max-bsdiff-size']]] as const) {
      if (!(v >= 0) || (flag === 'max-chunk-size' && v === 0)) throw new UsageError(`--${flag} must be a positive number of MB`);
    }
    const repo = Repo.open(settings.require('OSTREE_REPO'));
    const signers = await signersFromSettings(settings);
    const to = repo.resolveRev(args.to ?? settings.require('OSTREE_BRANCHNAME'));
    const spec = args.empty ? 'empty' : (args.from ?? 'parent');
    const from = resolveDeltaSource(repo, to, spec);
    if (from === undefined) throw new UsageError(`commit ${to} has no parent; use --empty for a delta from nothing, or --from`);

    const tx = Transaction.begin(repo);
    let report: DeltaReport;
    try {
      report = await generateDelta(tx, {
        from,
        to,
        inline: args.inline,
        bsdiff: args.bsdiff,
        maxChunkSize: Math.round(args['max-chunk-size'] * MB),
        minFallbackSize: Math.round(args['min-fallback-size'] * MB),
        maxBsdiffSize: Math.round(args['max-bsdiff-size'] * MB),
      });
      await regenerateSignedSummary(repo, signers);
    } finally {
      tx.release();
    }
    describe(out, report);
    out.result({ ...report, seconds: Number(report.seconds.toFixed(3)) });
  },
};
