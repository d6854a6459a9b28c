// `yocto-ostree prune --keep N`: keep the newest N commits of each branch,
// delete the objects and static deltas nothing kept needs, then rebuild (and
// re-sign) the summary.
import type { Argv, CommandModule } from 'yargs';
import { resolveSettings, settingsOptions, type SettingsArgs } from '../conf/settings.js';
import { pruneRepo } from '../delta/prune.js';
import { Repo } from '../repo/repo.js';
import { Transaction } from '../repo/transaction.js';
import { regenerateSignedSummary } from '../sign/summary-signature.js';
import { createReporter, formatBytes } from './output.js';
import { signersFromSettings } from './publish-settings.js';

interface PruneArgs extends SettingsArgs {
  keep: number;
  'dry-run'?: boolean;
  json?: boolean;
}

export const pruneCommand: CommandModule<object, PruneArgs> = {
  command: 'prune',
  describe: 'Delete old commits (beyond --keep per branch), their objects and their static deltas',
  builder: (y) =>
    y
      .options(settingsOptions)
      .option('keep', { type: 'number', demandOption: true, describe: 'Commits to keep per branch, the head included (1 = only the head)' })
      .option('dry-run', { type: 'boolean', describe: 'Only report what would be deleted' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<PruneArgs>,
  handler: async (args) => {
    const out = createReporter(args);
    const settings = resolveSettings(args);
    for (const w of settings.warnings) out.warn(w);
    const repo = Repo.open(settings.require('OSTREE_REPO'));
    const signers = args['dry-run'] ? [] : await signersFromSettings(settings);
    const tx = Transaction.begin(repo);
    let report;
    try {
      report = pruneRepo(tx, args.keep, args['dry-run']);
      if (!args['dry-run']) await regenerateSignedSummary(repo, signers);
    } finally {
      tx.release();
    }
    const verb = args['dry-run'] ? 'would delete' : 'deleted';
    out.info(`kept ${report.kept} commit(s); ${verb} ${report.deletedCommits.length} commit(s), ${report.deletedObjects} object(s) (${formatBytes(report.freedBytes)}), ${report.deletedDeltas.length} static delta(s)`);
    out.result({ ...report, dryRun: Boolean(args['dry-run']) });
  },
};
