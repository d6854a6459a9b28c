// A signer makes detached signatures over exact bytes (a .commit object, the
// summary) for one of ostree's signature schemes; each scheme stores its
// signatures as `aay` under its own key in commitmeta and summary.sig.

export interface Signer {
  /** "ostree.gpgsigs" or "ostree.sign.ed25519". */
  readonly metadataKey: string;
  /** For messages: the key id or public key. */
  readonly description: string;
  sign(data: Buffer): Promise<Buffer>;
  /** True when `signature` over `data` was made with this signer's key (no need to sign again). */
  madeThis(signature: Buffer, data: Buffer): Promise<boolean>;
}
