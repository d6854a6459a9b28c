// `yocto-ostree commit`: commit a rootfs tarball into a repository.
import type { CommandModule } from 'yargs';
import { commitRootfs } from '../commit/commit-rootfs.js';
import { UsageError } from '../errors.js';
import { Repo } from '../repo/repo.js';
import { createReporter, formatBytes } from './output.js';

interface CommitArgs {
  rootfs: string;
  repo: string;
  branch: string;
  subject?: string;
  body?: string;
  version?: string;
  timestamp?: string;
  'add-metadata'?: string[];
  parent: string;
  'skip-if-unchanged'?: boolean;
  json?: boolean;
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
  builder: (y) =>
    y
      .option('rootfs', { type: 'string', demandOption: true, describe: 'Rootfs tarball' })
      .option('repo', { type: 'string', demandOption: true, describe: 'Repository (OSTREE_REPO)' })
      .option('branch', { type: 'string', demandOption: true, describe: 'Branch / ref to commit to (OSTREE_BRANCHNAME)' })
      .option('subject', { type: 'string', describe: 'Commit subject' })
      .option('body', { type: 'string', describe: 'Commit body' })
      .option('version', { type: 'string', describe: 'Value of the commit\'s "version" metadata' })
      .option('timestamp', { type: 'string', describe: 'Commit time (seconds or ISO date); default SOURCE_DATE_EPOCH, else now' })
      .option('add-metadata', { type: 'string', array: true, describe: 'Extra string metadata KEY=VALUE (repeatable)' })
      .option('parent', { type: 'string', default: 'auto', describe: 'auto (branch head), none, or a checksum' })
      .option('skip-if-unchanged', { type: 'boolean', describe: 'Do not commit when the tree equals the parent\'s' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }),
  handler: async (args) => {
    const out = createReporter(args);
    const repo = Repo.open(args.repo);
    const result = await commitRootfs(repo, {
      rootfs: args.rootfs,
      branch: args.branch,
      subject: args.subject,
      body: args.body,
      version: args.version,
      timestamp: commitTimestamp(args.timestamp),
      metadata: parseMetadata(args['add-metadata']),
      parent: args.parent,
      skipIfUnchanged: args['skip-if-unchanged'],
      onProgress: (p) => out.progress(`${p.entries} entries, ${formatBytes(p.bytesRead)} read`),
    });
    out.done();
    if (result.counts.skipped > 0) {
      const first = result.skippedPaths.slice(0, 3).join(', ');
      out.warn(`skipped ${result.counts.skipped} device node(s), FIFO(s) or socket(s) that OSTree cannot store (${first}${result.counts.skipped > 3 ? ', …' : ''})`);
    }
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
    });
  },
};
