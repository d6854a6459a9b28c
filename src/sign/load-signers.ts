// The signers a build is configured with: GPG from OSTREE_GPG_KEY (+ _ID,
// _PASSPHRASE_FILE) and ed25519 from OSTREE_SIGN_KEY (+ _PUBKEY). Either,
// both or none may be set.
import { UsageError } from '../errors.js';
import { Ed25519Signer } from './ed25519.js';
import type { Signer } from './signer.js';

export interface SigningSettings {
  gpgKey?: string;
  gpgId?: string;
  gpgPassphraseFile?: string;
  signKey?: string;
  signPubkey?: string;
}

export async function loadSigners(s: SigningSettings): Promise<Signer[]> {
  const signers: Signer[] = [];
  if (s.gpgKey) {
    // openpgp takes ~0.15 s to load: only when a GPG key is configured.
    const { GpgSigner } = await import('./gpg.js');
    signers.push(await GpgSigner.load({ keyFile: s.gpgKey, keyId: s.gpgId, passphraseFile: s.gpgPassphraseFile }));
  } else if (s.gpgId) throw new UsageError('OSTREE_GPG_ID (--gpg-id) needs OSTREE_GPG_KEY (--gpg-key): an exported, ASCII-armored secret key file (gpg --export-secret-keys --armor ID)');
  if (s.signKey) signers.push(...Ed25519Signer.load(s.signKey, s.signPubkey));
  return signers;
}
