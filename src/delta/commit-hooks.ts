// What happens around publishing a new commit when a build signs and ships
// deltas, in the only order that works: sign the commit (its commitmeta is
// published with it), build deltas (they embed the commitmeta) before the ref
// moves, regenerate the summary (it lists the deltas), sign the summary.
import type { CommitHooks } from '../commit/commit-rootfs.js';
import { UserError } from '../errors.js';
import { signCommit } from '../sign/commit-signature.js';
import type { Signer } from '../sign/signer.js';
import { signSummary } from '../sign/summary-signature.js';
import { resolveDeltaSources } from './delta-sources.js';
import type { DeltaReport } from './generate.js';

export interface PublishSteps {
  signers: readonly Signer[];
  /** OSTREE_STATIC_DELTAS words: "parent", "empty", refs, checksums. */
  deltaFrom: readonly string[];
  warn: (message: string) => void;
}

export interface PublishOutcome {
  signedBy: string[];
  deltas: DeltaReport[];
}

export function publishHooks(steps: PublishSteps): { hooks: CommitHooks; outcome: PublishOutcome } {
  const outcome: PublishOutcome = { signedBy: [], deltas: [] };
  const hooks: CommitHooks = {
    beforePublish: async (tx, commit) => {
      if (steps.signers.length > 0) outcome.signedBy = await signCommit(tx, commit, steps.signers);
    },
    afterPublish: async (tx, commit) => {
      const sources = resolveDeltaSources(tx.repo, commit, steps.deltaFrom, steps.warn);
      if (sources.length === 0) return;
      // The delta generator is a dozen modules: loaded only when a delta is due.
      const { generateDelta } = await import('./generate.js');
      for (const from of sources) {
        // A delta that cannot be built is reported; the commit still lands.
        try {
          outcome.deltas.push(await generateDelta(tx, { from, to: commit }));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          steps.warn(`no static delta from ${from ?? 'empty'}: ${e.message}`);
        }
      }
    },
    afterSummary: (repo) => signSummary(repo, steps.signers),
  };
  return { hooks, outcome };
}
