// `yocto-ostree init`: create an OSTree repository (archive by default: what is
// served over HTTP to devices).
import type { CommandModule } from 'yargs';
import type { RepoMode } from '../ostree/object-type.js';
import { Repo } from '../repo/repo.js';
import { createReporter } from './output.js';

interface InitArgs {
  repo: string;
  mode: RepoMode;
  json?: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Create an OSTree repository',
  builder: (y) =>
    y
      .option('repo', { type: 'string', demandOption: true, describe: 'Repository directory' })
      .option('mode', { choices: ['archive', 'bare', 'bare-user'] as const, default: 'archive' as RepoMode, describe: 'Repository mode' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }),
  handler: (args) => {
    const out = createReporter(args);
    const repo = Repo.init(args.repo, args.mode);
    out.info(`initialized ${repo.mode} repository ${repo.path}`);
    out.result({ repo: repo.path, mode: repo.mode });
  },
};
