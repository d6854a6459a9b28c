// The repository summary (a(s(taya{sv}))a{sv}) as ostree 2022.7's `summary -u`
// writes it: refs sorted bytewise; per ref the commit size (native little-endian),
// checksum and {ostree.commit.timestamp (BE), ostree.commit.version}.
import { decodeVariant, encodeVariant, Variant, type VardictEntries } from '../gvariant/index.js';
import { swap64 } from './byte-order.js';
import { checksumFromBytes, checksumToBytes } from './checksum.js';
import { compareNames } from './dirtree.js';
import { vardictGet } from './vardict.js';

export interface SummaryRef {
  name: string;
  commit: string;
  commitSize: number;
  timestamp: number;
  version?: string;
}

export interface Summary {
  refs: SummaryRef[];
  metadata: VardictEntries;
}

const SUMMARY = '(a(s(taya{sv}))a{sv})';

export function encodeSummary(s: Summary): Buffer {
  const refs = [...s.refs].sort((a, b) => compareNames(a.name, b.name));
  return encodeVariant(SUMMARY, [
    refs.map((r) => {
      const meta: VardictEntries = [['ostree.commit.timestamp', new Variant('t', swap64(BigInt(r.timestamp)))]];
      if (r.version !== undefined) meta.push(['ostree.commit.version', new Variant('s', r.version)]);
      return [r.name, [BigInt(r.commitSize), checksumToBytes(r.commit), meta]];
    }),
    s.metadata,
  ]);
}

export function parseSummary(bytes: Buffer): Summary {
  const [refs, metadata] = decodeVariant(SUMMARY, bytes) as [[string, [bigint, Buffer, VardictEntries]][], VardictEntries];
  return {
    refs: refs.map(([name, [size, csum, meta]]) => {
      const ts = vardictGet(meta, 'ostree.commit.timestamp') as bigint | undefined;
      const version = vardictGet(meta, 'ostree.commit.version') as string | undefined;
      return { name, commit: checksumFromBytes(csum), commitSize: Number(size), timestamp: ts === undefined ? 0 : Number(swap64(ts)), ...(version === undefined ? {} : { version }) };
    }),
    metadata,
  };
}
