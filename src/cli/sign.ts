// `yocto-ostree sign [REV…]`: sign commits (default: every branch head) with
// the configured keys (OSTREE_GPG_KEY…, OSTREE_SIGN_KEY…), refresh the copies
// of their signatures inside static deltas, and re-sign the summary. With
// --export-gpg-key / --export-sign-pubkey it writes the public keys devices
// need (ostree remote add --gpg-import=FILE; /etc/ostree/trusted.ed25519.d/).
import { writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { resolveSettings, settingsOptions, type SettingsArgs } from '../conf/settings.js';
import { refreshDeltaCommitmeta } from '../delta/refresh-commitmeta.js';
import { UsageError } from '../errors.js';
import { Repo } from '../repo/repo.js';
import { Transaction } from '../repo/transaction.js';
import { signCommit } from '../sign/commit-signature.js';
import { Ed25519Signer } from '../sign/ed25519.js';
import { GpgSigner } from '../sign/gpg.js';
import { regenerateSignedSummary } from '../sign/summary-signature.js';
import { createReporter } from './output.js';
import { signersFromSettings } from './publish-settings.js';

interface SignArgs extends SettingsArgs {
  revs?: string[];
  'export-gpg-key'?: string;
  'export-sign-pubkey'?: string;
  json?: boolean;
}

export const signCommand: CommandModule<object, SignArgs> = {
  command: 'sign [revs..]',
  describe: 'Sign commits and the summary; export the public keys for devices',
  builder: (y) =>
    y
      .options(settingsOptions)
      .positional('revs', { type: 'string', array: true, describe: 'Commits to sign: refs or checksums (default: every branch head)' })
      .option('export-gpg-key', { type: 'string', requiresArg: true, describe: 'Write the GPG public key (ASCII-armored) to this file and stop' })
      .option('export-sign-pubkey', { type: 'string', requiresArg: true, describe: 'Write the ed25519 public key(s), base64 one per line, to this file and stop' })
      .option('json', { type: 'boolean', describe: 'Print the result as one JSON object' }) as unknown as Argv<SignArgs>,
  handler: async (args) => {
    const out = createReporter(args);
    const settings = resolveSettings(args);
    for (const w of settings.warnings) out.warn(w);
    const signers = await signersFromSettings(settings);
    if (signers.length === 0) throw new UsageError('no signing key is set: set OSTREE_GPG_KEY (GPG) or OSTREE_SIGN_KEY (ed25519)');

    if (args['export-gpg-key'] || args['export-sign-pubkey']) {
      const gpg = signers.filter((s): s is GpgSigner => s instanceof GpgSigner);
      const ed = signers.filter((s): s is Ed25519Signer => s instanceof Ed25519Signer);
      if (args['export-gpg-key']) {
        if (gpg.length === 0) throw new UsageError('--export-gpg-key needs OSTREE_GPG_KEY');
        writeFileSync(args['export-gpg-key'], gpg[0].publicKeyArmored());
        out.info(`wrote ${gpg[0].description} to ${args['export-gpg-key']}`);
      }
      if (args['export-sign-pubkey']) {
        if (ed.length === 0) throw new UsageError('--export-sign-pubkey needs OSTREE_SIGN_KEY');
        writeFileSync(args['export-sign-pubkey'], ed.map((s) => s.publicKey.toString('base64') + '\n').join(''));
        out.info(`wrote ${ed.length} ed25519 public key(s) to ${args['export-sign-pubkey']}`);
      }
      out.result({ exported: [args['export-gpg-key'], args['export-sign-pubkey']].filter(Boolean) });
      return;
    }

    const repo = Repo.open(settings.require('OSTREE_REPO'));
    const revs = args.revs && args.revs.length > 0 ? args.revs : [...repo.listRefs().keys()];
    if (revs.length === 0) throw new UsageError(`${repo.path} has no branches to sign`);
    const commits = [...new Set(revs.map((r) => repo.resolveRev(r)))];
    const tx = Transaction.begin(repo);
    const signed: { commit: string; addedBy: string[]; deltasUpdated: number }[] = [];
    try {
      for (const commit of commits) signed.push({ commit, addedBy: await signCommit(tx, commit, signers), deltasUpdated: 0 });
      await tx.publish();
      for (const s of signed) s.deltasUpdated = refreshDeltaCommitmeta(repo, s.commit);
      await regenerateSignedSummary(repo, signers);
    } finally {
      tx.release();
    }
    for (const s of signed) out.info(`${s.commit}: ${s.addedBy.length > 0 ? `signed by ${s.addedBy.join(', ')}` : 'already signed'}${s.deltasUpdated > 0 ? `; ${s.deltasUpdated} delta(s) updated` : ''}`);
    out.result({ signed, summarySigned: true });
  },
};
