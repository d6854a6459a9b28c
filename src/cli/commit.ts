// `yocto-ostree commit`: commit a rootfs tarball into a repository.
import type { Argv, CommandModule } from 'yargs';
import { commitRootfs } from '../commit/commit-rootfs.js';
import { startObjectWorkers, type ObjectWorkers } from '../commit/content-writer.js';
import { resolveSettings, settingsOptions, type SettingsArgs } from '../conf/settings.js';
import { UsageError } from '../errors.js';
import { checkPrepareInputs, prepareTree } from '../prepare/steps.js';
import type { PrepareReport } from '../prepare/report.js';
import { Repo } from '../repo/repo.js';
import { publishHooks } from '../delta/commit-hooks.js';
import { createReporter, formatBytes } from './output.js';
import { signersFromSettings, staticDeltaSources } from './publish-settings.js';
import { prepareFlagOptions, prepareOptions, type PrepareFlags } from './prepare-options.js';

interface CommitArgs extends PrepareFlags, SettingsArgs {
  rootfs: string;
  subject?: string;
  body?: string;
  version?: string;
  timestamp?: string;
  'add-metadata'?: string[];
  parent: string;
  'skip-if-unchanged'?: boolean;
  json?: boolean;
  prepare: boolean;
}

/** --timestamp, else SOURCE_DATE_EPOCH, else now (seconds since the epoch). */
export function commitTimestamp(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = flag ?? env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return Math.floor(Date.now() / 1000);
  if (/^\d+$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new UsageError(`cannot read "${raw}" as a timestamp (use seconds since the epoch or an ISO 8601 date)`);
  return Math.floor(ms / 1000);
}

function parseMetadata(pairs: string[] = []): [string, string][] {
  return pairs.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UsageError(`--add-metadata needs KEY=VALUE, got "${p}"`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

export const commitCommand: CommandModule<object, CommitArgs> = {
  command: 'commit',
  describe: 'Commit a rootfs tarball (tar, .gz, .bz2, .xz, .zst) into an OSTree repository',
  // Record<string, Options> option sets defeat yargs' type inference: CommitArgs says what arrives.
  builder: (y) =>
    y
      // --repo (OSTREE_REPO) and --branch (OSTREE_BRANCHNAME) come with the settings options.
      .options(settingsOptions)
      .options(prepareFlagOptions)
      .option('rootfs', { type: 'string', demandOption: true, describe: 'Rootfs tarball' })
      .option('subject', { type: 'string', describe: 'Commit subject (default: OSTREE_COMMIT_SUBJECT)' })
      .option('body', { type: 'string', describe: 'Commit body (default: OSTREE_COMMIT_BODY)' })
      .option('version', { type: 'string', describe: 'Value of the commit\'s "version" metadata (default: OSTREE_COMMIT_VERSION)' })
      .option('timestamp', { type: 'string', describe: 'Commit time (seconds or ISO date); default SOURCE_DATE_EPOCH, else now' })
      .option('add-metadata', { type: 'string', array: true, describe: 'Extra string metadata KEY=VALUE (repeatable)' })
      .option('parent', { type: 'string', default: 'auto', describe: 'auto (branch head), none, or a checksum' })
      .option('skip-if-unchanged', { type: 'boolean', describe: 'Do not commit when the tree equals the parent\'s' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' })
      .option('prepare', { type: 'boolean', default: true, group: 'Preparation:', describe: 'Make the tree OSTree-ready (etc, var, rootdirs, kernel…); --no-prepare commits the tarball as it is' }) as unknown as Argv<CommitArgs>,
  handler: async (args) => {
    const workers = startObjectWorkers();
    try {
      await commitWith(workers, args);
    } finally {
      // Closed by the commit already, but not when it failed before it began.
      await workers.close();
    }
  },
};

async function commitWith(workers: ObjectWorkers, args: CommitArgs): Promise<void> {
  const out = createReporter(args);
  const settings = resolveSettings(args);
  for (const w of settings.warnings) out.warn(w);
  // meta-updater's commit fields come from the build (IMAGE_NAME, DISTRO_VERSION):
  // outside one, their defaults would only put oe-core's placeholders in the commit.
  const buildValue = (name: string): string | undefined => (settings.inBuild || settings.isUserSet(name) ? settings.optional(name) : undefined);
  const branch = settings.require('OSTREE_BRANCHNAME');
  const repo = Repo.open(settings.require('OSTREE_REPO'));
  const preparation = args.prepare ? prepareOptions(args, settings, branch) : undefined;
  if (preparation) checkPrepareInputs(preparation);
  const publish = publishHooks({ signers: await signersFromSettings(settings), deltaFrom: staticDeltaSources(settings), warn: (m) => out.warn(m) });
  let report: PrepareReport | undefined;
  let prepareSeconds = 0;
  const result = await commitRootfs(repo, {
    rootfs: args.rootfs,
    branch,
    subject: args.subject ?? buildValue('OSTREE_COMMIT_SUBJECT'),
    body: args.body ?? buildValue('OSTREE_COMMIT_BODY'),
    version: args.version ?? buildValue('OSTREE_COMMIT_VERSION'),
    timestamp: commitTimestamp(args.timestamp),
    metadata: parseMetadata(args['add-metadata']),
    parent: args.parent,
    skipIfUnchanged: args['skip-if-unchanged'],
    prepare: preparation
      ? (tree, ctx) => {
          const started = process.hrtime.bigint();
          const prepared = prepareTree(tree, ctx, preparation);
          prepareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
          report = prepared.report;
          return prepared.metadata;
        }
      : undefined,
    onProgress: (p) => out.progress(() => `${p.entries} entries, ${formatBytes(p.bytesRead)} read`),
    hooks: publish.hooks,
    workers,
  });
  out.done();
  if (result.counts.skipped > 0) {
    const first = result.skippedPaths.slice(0, 3).join(', ');
    out.warn(`skipped ${result.counts.skipped} device node(s), FIFO(s) or socket(s) that OSTree cannot store (${first}${result.counts.skipped > 3 ? ', …' : ''})`);
  }
  for (const warning of report?.warnings ?? []) out.warn(warning);
  out.info(result.unchanged ? `${result.commit} (unchanged, nothing committed)` : result.commit);
  out.result({
    commit: result.commit,
    ref: result.ref,
    parent: result.parent,
    unchanged: result.unchanged,
    counts: result.counts,
    bytesRead: result.bytesRead,
    contentBytes: result.contentBytes,
    bytesWritten: result.bytesWritten,
    newObjects: result.newObjects,
    seconds: Number(result.seconds.toFixed(3)),
    signedBy: publish.outcome.signedBy,
    deltas: publish.outcome.deltas.map((d) => ({ name: d.name, size: d.size, fallbackSize: d.fallbackSize, parts: d.parts.length, seconds: Number(d.seconds.toFixed(3)) })),
    ...(report ? { kernel: report.kernel ?? null, warnings: report.warnings, prepareSeconds: Number(prepareSeconds.toFixed(3)) } : {}),
  });
}
