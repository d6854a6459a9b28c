// a{sv} dictionaries (commit metadata, commitmeta, summary metadata, delta indexes).
// We keep entries as an ordered list because the order is part of the bytes; new
// dictionaries we write are sorted by key so output never depends on insertion order.
import { Variant, type GvValue, type VardictEntries } from '../gvariant/index.js';
import { compareNames } from './dirtree.js';

export function sortedVardict(entries: VardictEntries): VardictEntries {
  return [...entries].sort((a, b) => compareNames(a[0], b[0]));
}

export function vardictGet(dict: VardictEntries, key: string): GvValue | undefined {
  return dict.find(([k]) => k === key)?.[1].value;
}

/** Returns a copy with `key` set (replacing an existing entry in place). */
export function vardictSet(dict: VardictEntries, key: string, value: Variant): VardictEntries {
  const out = dict.filter(([k]) => k !== key);
  const at = dict.findIndex(([k]) => k === key);
  out.splice(at < 0 ? out.length : at, 0, [key, value]);
  return out;
}
