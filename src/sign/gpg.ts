// GPG signatures with OpenPGP.js (no gpg binary on the build host): binary
// detached signatures, as `ostree gpg-sign` stores them under "ostree.gpgsigs"
// and verified on devices by gpgme against the remote's imported keys.
import { readFileSync } from 'node:fs';
import * as openpgp from 'openpgp';
import { UsageError } from '../errors.js';
import type { Signer } from './signer.js';

export const GPG_SIGNATURES_KEY = 'ostree.gpgsigs';

export interface GpgKeyOptions {
  /** Armored (or binary) secret key file: OSTREE_GPG_KEY. */
  keyFile: string;
  /** Key id or fingerprint (hex, any length from 8), or a user-id substring: OSTREE_GPG_ID. */
  keyId?: string;
  /** File whose first line is the passphrase: OSTREE_GPG_PASSPHRASE_FILE. */
  passphraseFile?: string;
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

async function readKeys(path: string): Promise<openpgp.PrivateKey[]> {
  const bytes = readFile(path, 'GPG secret key file');
  try {
    const text = bytes.toString('utf8');
    return text.includes('-----BEGIN PGP')
      ? await openpgp.readPrivateKeys({ armoredKeys: text })
      : await openpgp.readPrivateKeys({ binaryKeys: new Uint8Array(bytes) });
  } catch (e) {
    throw new UsageError(`${path} holds no usable GPG secret key: ${(e as Error).message}`);
  }
}

/** Does the (primary or sub) key match an id, a fingerprint suffix or a user id? */
function matches(key: openpgp.PrivateKey, wanted: string): openpgp.KeyID | null {
  const hex = wanted.replace(/^0x/i, '').replace(/\s+/g, '').toLowerCase();
  for (const k of key.getKeys()) {
    if (/^[0-9a-f]{8,}$/.test(hex) && (k.getFingerprint().endsWith(hex) || k.getKeyID().toHex().endsWith(hex))) return k.getKeyID();
  }
  return key.getUserIDs().some((u) => u.toLowerCase().includes(wanted.toLowerCase())) ? key.getKeyID() : null;
}

export class GpgSigner implements Signer {
  readonly metadataKey = GPG_SIGNATURES_KEY;

  private constructor(
    private key: openpgp.PrivateKey,
    private signingKeyId: openpgp.KeyID,
  ) {}

  get description(): string {
    return `GPG key ${this.key.getFingerprint().toUpperCase()}`;
  }

  static async load(opts: GpgKeyOptions): Promise<GpgSigner> {
    const keys = await readKeys(opts.keyFile);
    let chosen: { key: openpgp.PrivateKey; id: openpgp.KeyID } | undefined;
    if (opts.keyId) {
      for (const key of keys) {
        const id = matches(key, opts.keyId);
        if (id) chosen = { key, id };
      }
      if (!chosen) throw new UsageError(`no key in ${opts.keyFile} matches GPG id "${opts.keyId}"`);
    } else {
      if (keys.length > 1) throw new UsageError(`${opts.keyFile} holds ${keys.length} secret keys; choose one with OSTREE_GPG_ID (--gpg-id)`);
      chosen = { key: keys[0], id: keys[0].getKeyID() };
    }
    let key = chosen.key;
    if (!key.isDecrypted()) {
      if (!opts.passphraseFile) throw new UsageError(`GPG key ${key.getFingerprint().toUpperCase()} is protected by a passphrase; give OSTREE_GPG_PASSPHRASE_FILE (--gpg-passphrase-file)`);
      const passphrase = readFile(opts.passphraseFile, 'passphrase file').toString('utf8').split(/\r?\n/)[0];
      try {
        key = await openpgp.decryptKey({ privateKey: key, passphrase });
      } catch (e) {
        throw new UsageError(`cannot unlock GPG key ${key.getFingerprint().toUpperCase()}: ${(e as Error).message}`);
      }
    }
    // The signing (sub)key: the one asked for, or the key's own choice.
    let signing: openpgp.PrivateKey | openpgp.Subkey;
    try {
      signing = await key.getSigningKey(chosen.id.equals(key.getKeyID()) ? undefined : chosen.id);
    } catch (e) {
      throw new UsageError(`GPG key ${key.getFingerprint().toUpperCase()} cannot sign: ${(e as Error).message}`);
    }
    return new GpgSigner(key, signing.getKeyID());
  }

  async sign(data: Buffer): Promise<Buffer> {
    const signature = await openpgp.sign({
      message: await openpgp.createMessage({ binary: new Uint8Array(data) }),
      signingKeys: this.key,
      signingKeyIDs: this.signingKeyId,
      detached: true,
      format: 'binary',
    });
    return Buffer.from(signature as Uint8Array);
  }

  async madeThis(signature: Buffer, _data: Buffer): Promise<boolean> {
    try {
      const sig = await openpgp.readSignature({ binarySignature: new Uint8Array(signature) });
      return sig.getSigningKeyIDs().some((id) => this.key.getKeyIDs().some((own) => own.equals(id)));
    } catch {
      return false;
    }
  }

  /** The public key, ASCII-armored: what devices import (ostree remote add --gpg-import). */
  publicKeyArmored(): string {
    return this.key.toPublic().armor();
  }
}
