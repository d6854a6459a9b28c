// Which commits to build deltas from, as OSTREE_STATIC_DELTAS and the delta
// command name them: "parent" (the commit's parent), "empty" (a from-scratch
// delta, for first installs), a ref, or a full checksum.
import { NotFoundError, UsageError } from '../errors.js';
import { isChecksum } from '../ostree/checksum.js';
import type { Repo } from '../repo/repo.js';

/** null = from scratch; undefined = there is nothing to build from (no parent). */
export function resolveDeltaSource(repo: Repo, to: string, spec: string): string | null | undefined {
  if (spec === 'empty') return null;
  if (spec === 'parent') return repo.readCommit(to).parent ?? undefined;
  if (isChecksum(spec)) {
    if (!repo.hasObject(spec, 'commit')) throw new NotFoundError(`commit ${spec} is not in ${repo.path}`);
    return spec;
  }
  const csum = repo.readRef(spec);
  if (!csum) throw new NotFoundError(`"${spec}" is neither a ref of ${repo.path} nor a full checksum`);
  return csum;
}

/**
 * The distinct from-commits for a list of specs. Specs that name nothing usable
 * (no parent, a ref that does not exist yet, the commit itself) are skipped
 * with a warning: an automatic delta must not fail the commit.
 */
export function resolveDeltaSources(repo: Repo, to: string, specs: readonly string[], warn: (message: string) => void): (string | null)[] {
  const out = new Map<string, string | null>();
  for (const spec of specs) {
    let from: string | null | undefined;
    try {
      from = resolveDeltaSource(repo, to, spec);
    } catch (e) {
      if (!(e instanceof NotFoundError || e instanceof UsageError)) throw e;
      warn(`no static delta from "${spec}": ${e.message}`);
      continue;
    }
    if (from === undefined) continue; // first commit of a branch: no parent yet
    if (from === to) continue;
    out.set(from ?? '', from);
  }
  return [...out.values()];
}
