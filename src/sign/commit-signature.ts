// Signs a commit: signatures over the exact .commit bytes go into its detached
// metadata (objects/XX/REST.commitmeta), staged in the transaction so that
// publishing puts them in place before (or with) the commit itself.
import { readFileSync } from 'node:fs';
import { decodeVariant, encodeVariant, type VardictEntries } from '../gvariant/index.js';
import { NotFoundError } from '../errors.js';
import type { Transaction } from '../repo/transaction.js';
import { addSignatures } from './detached-signatures.js';
import type { Signer } from './signer.js';

function readOptional(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Returns the keys that added a signature (none when all had signed already). */
export async function signCommit(tx: Transaction, commit: string, signers: readonly Signer[]): Promise<string[]> {
  const commitBytes = readOptional(tx.objectPath(commit, 'commit'));
  if (!commitBytes) throw new NotFoundError(`commit ${commit} is not in ${tx.repo.path}`);
  const meta = readOptional(tx.objectPath(commit, 'commitmeta'));
  const existing = meta ? (decodeVariant('a{sv}', meta) as VardictEntries) : [];
  const { entries, added } = await addSignatures(existing, commitBytes, signers);
  if (added.length > 0) tx.writeCommitMeta(commit, encodeVariant('a{sv}', entries));
  return added;
}
