// Adds signatures to a detached-metadata dictionary (a{sv}: commitmeta or
// summary.sig), keeping what is there: other schemes' entries and other keys'
// signatures. A key that already signed these bytes is not asked again, so
// signing twice changes nothing.
import { Variant, type VardictEntries } from '../gvariant/index.js';
import { sortedVardict, vardictGet, vardictSet } from '../ostree/vardict.js';
import type { Signer } from './signer.js';

export interface SignOutcome {
  entries: VardictEntries;
  /** Descriptions of the keys that added a signature. */
  added: string[];
}

export async function addSignatures(existing: VardictEntries, data: Buffer, signers: readonly Signer[]): Promise<SignOutcome> {
  let entries = existing;
  const added: string[] = [];
  for (const signer of signers) {
    const current = (vardictGet(entries, signer.metadataKey) as Buffer[] | undefined) ?? [];
    let already = false;
    for (const sig of current) if (await signer.madeThis(sig, data)) already = true;
    if (already) continue;
    entries = vardictSet(entries, signer.metadataKey, new Variant('aay', [...current, await signer.sign(data)]));
    added.push(signer.description);
  }
  return { entries: sortedVardict(entries), added };
}
