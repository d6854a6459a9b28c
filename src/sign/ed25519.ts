// ed25519 signatures ("ostree.sign.ed25519") with node:crypto. Key files use
// ostree's formats (ostree-sign-ed25519.c): base64 strings, one per line — a
// secret key is libsodium's 64 bytes (seed ‖ public key), a public key 32
// bytes; the same lines go into /etc/ostree/trusted.ed25519.d/ on devices.
// A signature is libsodium's crypto_sign_detached: plain Ed25519, 64 bytes.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Signer } from './signer.js';

export const ED25519_SIGNATURES_KEY = 'ostree.sign.ed25519';

// DER prefixes wrapping a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The non-empty lines of a key file, base64-decoded. */
export function readKeyLines(path: string, what: string): Buffer[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => Buffer.from(l, 'base64'));
}

export function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Buffer {
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

export function verifyEd25519(data: Buffer, signature: Buffer, publicKey: Buffer): boolean {
  return signature.length === 64 && verify(null, data, publicKeyObject(publicKey), signature);
}

export class Ed25519Signer implements Signer {
  readonly metadataKey = ED25519_SIGNATURES_KEY;

  private constructor(
    private key: KeyObject,
    readonly publicKey: Buffer,
  ) {}

  get description(): string {
    return `ed25519 key ${this.publicKey.toString('base64')}`;
  }

  /** From a 64-byte libsodium secret key (a 32-byte seed is accepted too). */
  static fromSecret(secret: Buffer, source = 'ed25519 secret key'): Ed25519Signer {
    if (secret.length !== 64 && secret.length !== 32) throw new UsageError(`${source} is ${secret.length} bytes, not a base64 ed25519 secret key (64 bytes)`);
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
    const pub = rawPublicKey(key);
    if (secret.length === 64 && !pub.equals(secret.subarray(32))) throw new UsageError(`${source}: its public half does not match its seed`);
    return new Ed25519Signer(key, pub);
  }

  /**
   * Every key in OSTREE_SIGN_KEY's file; with a public key file
   * (OSTREE_SIGN_PUBKEY) each must be listed there, so that devices
   * trusting that file can verify what is signed.
   */
  static load(secretFile: string, publicFile?: string): Ed25519Signer[] {
    const signers = readKeyLines(secretFile, 'ed25519 secret key file').map((s, i) => Ed25519Signer.fromSecret(s, `${secretFile} line ${i + 1}`));
    if (signers.length === 0) throw new UsageError(`${secretFile} holds no ed25519 secret key`);
    if (publicFile) {
      const trusted = readKeyLines(publicFile, 'ed25519 public key file');
      for (const s of signers) {
        if (!trusted.some((t) => t.equals(s.publicKey))) throw new UsageError(`the ed25519 key ${s.publicKey.toString('base64')} from ${secretFile} is not in ${publicFile}: devices trusting that file could not verify it`);
      }
    }
    return signers;
  }

  async sign(data: Buffer): Promise<Buffer> {
    return sign(null, data, this.key);
  }

  async madeThis(signature: Buffer, data: Buffer): Promise<boolean> {
    return verifyEd25519(data, signature, this.publicKey);
  }
}
