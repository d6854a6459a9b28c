// Commit objects: (a{sv}aya(say)sstayay) = metadata, parent, related, subject, body,
// BE timestamp, root dirtree checksum, root dirmeta checksum (ostree-format.md §4).
import { decodeVariant, encodeVariant, type VardictEntries } from '../gvariant/index.js';
import { swap64 } from './byte-order.js';
import { checksumFromBytes, checksumToBytes } from './checksum.js';

export interface Commit {
  metadata: VardictEntries;
  parent: string | null;
  subject: string;
  body: string;
  /** Seconds since the epoch, UTC. */
  timestamp: number;
  rootTree: string;
  rootMeta: string;
}

const COMMIT = '(a{sv}aya(say)sstayay)';

export function encodeCommit(c: Commit): Buffer {
  return encodeVariant(COMMIT, [
    c.metadata,
    c.parent ? checksumToBytes(c.parent) : Buffer.alloc(0),
    [],
    c.subject,
    c.body,
    swap64(BigInt(c.timestamp)),
    checksumToBytes(c.rootTree),
    checksumToBytes(c.rootMeta),
  ]);
}

export function parseCommit(bytes: Buffer): Commit {
  const [metadata, parent, , subject, body, timestamp, rootTree, rootMeta] = decodeVariant(COMMIT, bytes) as [
    VardictEntries, Buffer, unknown, string, string, bigint, Buffer, Buffer,
  ];
  return {
    metadata,
    parent: parent.length === 0 ? null : checksumFromBytes(parent),
    subject,
    body,
    timestamp: Number(swap64(timestamp)),
    rootTree: checksumFromBytes(rootTree),
    rootMeta: checksumFromBytes(rootMeta),
  };
}
