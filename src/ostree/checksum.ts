// SHA-256 checksums as ostree names objects: 64 lowercase hex characters, stored
// inside objects as 32 raw bytes.
import { createHash, hash } from 'node:crypto';

const HEX64 = /^[0-9a-f]{64}$/;

export function isChecksum(s: string): boolean {
  return HEX64.test(s);
}

export function checksumToBytes(csum: string): Buffer {
  if (!isChecksum(csum)) throw new Error(`invalid checksum "${csum}"`);
  return Buffer.from(csum, 'hex');
}

export function checksumFromBytes(bytes: Buffer): string {
  if (bytes.length !== 32) throw new Error(`invalid checksum of ${bytes.length} bytes`);
  return bytes.toString('hex');
}

export function sha256Hex(...parts: Buffer[]): string {
  // One part (every metadata object): the one-shot hash builds no Hash object, a
  // third of hashing a small dirtree.
  if (parts.length === 1) return hash('sha256', parts[0]!, 'hex');
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}
