// A device-side repository driven by the real ostree CLI: created empty,
// pointed at our server, pulled from, checked with fsck.
import { join } from 'node:path';
import { ostree, run, type RunResult } from './run.js';

export interface ClientOptions {
  mode?: 'bare-user' | 'bare' | 'archive';
  /** Armored public key to trust: gpg-verify and gpg-verify-summary on. */
  gpgImport?: string;
}

export interface Client {
  repo: string;
  pull(ref: string, extra?: string[]): Promise<RunResult>;
  fsck(): Promise<RunResult>;
  revParse(ref: string): Promise<string>;
}

export async function makeClient(dir: string, name: string, url: string, opts: ClientOptions = {}): Promise<Client> {
  const repo = join(dir, name);
  await ostree(['init', `--repo=${repo}`, `--mode=${opts.mode ?? 'bare-user'}`]);
  const verify = opts.gpgImport ? [`--gpg-import=${opts.gpgImport}`, '--set=gpg-verify=true', '--set=gpg-verify-summary=true'] : ['--no-gpg-verify'];
  await ostree(['remote', 'add', `--repo=${repo}`, ...verify, 'origin', url]);
  return {
    repo,
    pull: (ref, extra = []) => run('ostree', ['pull', `--repo=${repo}`, ...extra, 'origin', ref]),
    fsck: () => run('ostree', ['fsck', `--repo=${repo}`]),
    revParse: async (ref) => (await ostree(['rev-parse', `--repo=${repo}`, ref])).trim(),
  };
}
