// `yocto-ostree init`: create an OSTree repository (archive by default: what is
// served over HTTP to devices). The path is OSTREE_REPO (--repo).
import type { Argv, CommandModule } from 'yargs';
import { resolveSettings, settingsOptions, type SettingsArgs } from '../conf/settings.js';
import type { RepoMode } from '../ostree/object-type.js';
import { Repo } from '../repo/repo.js';
import { createReporter } from './output.js';

interface InitArgs extends SettingsArgs {
  mode: RepoMode;
  json?: boolean;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Create an OSTree repository',
  builder: (y) =>
    y
      .options(settingsOptions)
      .option('mode', { choices: ['archive', 'bare', 'bare-user'] as const, default: 'archive' as RepoMode, describe: 'Repository mode' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<InitArgs>,
  handler: (args) => {
    const out = createReporter(args);
    const settings = resolveSettings(args);
    for (const w of settings.warnings) out.warn(w);
    const repo = Repo.init(settings.require('OSTREE_REPO'), args.mode);
    out.info(`initialized ${repo.mode} repository ${repo.path}`);
    out.result({ repo: repo.path, mode: repo.mode });
  },
};
