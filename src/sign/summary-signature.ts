// summary.sig: signatures over the exact summary bytes (a{sv}, same keys as in
// commitmeta). Regenerating the summary deletes it, so every regeneration in
// a signing setup goes through regenerateSignedSummary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeVariant } from '../gvariant/index.js';
import { NotFoundError } from '../errors.js';
import { writeFileAtomic } from '../repo/atomic-file.js';
import type { Repo } from '../repo/repo.js';
import { regenerateSummary } from '../repo/summary-writer.js';
import { addSignatures } from './detached-signatures.js';
import type { Signer } from './signer.js';

export async function signSummary(repo: Repo, signers: readonly Signer[]): Promise<void> {
  if (signers.length === 0) return;
  let summary: Buffer;
  try {
    summary = readFileSync(join(repo.path, 'summary'));
  } catch {
    throw new NotFoundError(`${repo.path} has no summary to sign`);
  }
  const { entries } = await addSignatures([], summary, signers);
  writeFileAtomic(join(repo.path, 'summary.sig'), encodeVariant('a{sv}', entries));
}

/** Regenerates the summary, then signs it when there are signers. */
export async function regenerateSignedSummary(repo: Repo, signers: readonly Signer[]): Promise<Buffer> {
  const summary = regenerateSummary(repo); // this removes the old summary.sig
  await signSummary(repo, signers);
  return summary;
}
