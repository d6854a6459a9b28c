// Where static deltas live and how they are named (ostree-core.c
// static_delta_path_base, _ostree_parse_delta_name). A delta is named
// "<from>-<to>" in hex, or "<to>" when built from scratch; on disk the
// checksums use "modified base64" (standard base64 of the 32 bytes, no "=",
// "/" → "_"), split after two characters like loose objects.
import { checksumFromBytes, checksumToBytes, isChecksum } from './checksum.js';

export interface DeltaId {
  /** null for a from-scratch ("empty") delta. */
  from: string | null;
  to: string;
}

export function checksumToModifiedBase64(csum: string): string {
  return checksumToBytes(csum).toString('base64').replace(/=+$/, '').replace(/\//g, '_');
}

export function modifiedBase64ToChecksum(b64: string): string {
  const bytes = Buffer.from(b64.replace(/_/g, '/'), 'base64');
  return checksumFromBytes(bytes);
}

/** "<from>-<to>" or "<to>", as the summary and delta indexes key deltas. */
export function deltaName(id: DeltaId): string {
  return id.from ? `${id.from}-${id.to}` : id.to;
}

export function parseDeltaName(name: string): DeltaId {
  const [a, b, ...rest] = name.split('-');
  const id = b === undefined ? { from: null, to: a } : { from: a, to: b };
  if (rest.length > 0 || !isChecksum(id.to) || (id.from !== null && !isChecksum(id.from))) {
    throw new Error(`invalid static delta name "${name}"`);
  }
  return id;
}

/** deltas/XX/REST (relative to the repository), the directory holding superblock and parts. */
export function deltaDir(id: DeltaId): string {
  const to = checksumToModifiedBase64(id.to);
  if (!id.from) return `deltas/${to.slice(0, 2)}/${to.slice(2)}`;
  const from = checksumToModifiedBase64(id.from);
  return `deltas/${from.slice(0, 2)}/${from.slice(2)}-${to}`;
}

/** The inverse of deltaDir for the two path components under deltas/. */
export function deltaIdFromDir(first: string, second: string): DeltaId | null {
  try {
    const dash = second.indexOf('-');
    if (dash < 0) return { from: null, to: modifiedBase64ToChecksum(first + second) };
    return { from: modifiedBase64ToChecksum(first + second.slice(0, dash)), to: modifiedBase64ToChecksum(second.slice(dash + 1)) };
  } catch {
    return null;
  }
}

/** The superblock key under which a part is inlined, and the file name of a separate part. */
export function deltaPartPath(id: DeltaId, index: number): string {
  return `${deltaDir(id)}/${index}`;
}

/** The superblock metadata key holding the to-commit's detached metadata. */
export function deltaCommitmetaKey(id: DeltaId): string {
  return `${deltaDir(id)}/commitmeta`;
}

/** delta-indexes/XX/REST.index: the deltas that lead to commit `to`. */
export function deltaIndexPath(to: string): string {
  const b64 = checksumToModifiedBase64(to);
  return `delta-indexes/${b64.slice(0, 2)}/${b64.slice(2)}.index`;
}
