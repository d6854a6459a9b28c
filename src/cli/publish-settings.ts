// The settings that decide how commits are published: who signs
// (OSTREE_GPG_KEY/_ID/_PASSPHRASE_FILE, OSTREE_SIGN_KEY/_PUBKEY) and which
// static deltas are built (OSTREE_STATIC_DELTAS). Shared by every command that
// writes commits, deltas or the summary.
import type { Settings } from '../conf/settings.js';
import { loadSigners } from '../sign/load-signers.js';
import type { Signer } from '../sign/signer.js';

export function signersFromSettings(settings: Settings): Promise<Signer[]> {
  return loadSigners({
    gpgKey: settings.get('OSTREE_GPG_KEY') || undefined,
    gpgId: settings.get('OSTREE_GPG_ID') || undefined,
    gpgPassphraseFile: settings.get('OSTREE_GPG_PASSPHRASE_FILE') || undefined,
    signKey: settings.get('OSTREE_SIGN_KEY') || undefined,
    signPubkey: settings.get('OSTREE_SIGN_PUBKEY') || undefined,
  });
}

/** Unset: a delta from the parent (an update carries only what changed); set empty: none. */
export function staticDeltaSources(settings: Settings): string[] {
  return settings.get('OSTREE_STATIC_DELTAS') === undefined ? ['parent'] : settings.list('OSTREE_STATIC_DELTAS');
}
