// The objects a commit reaches (dirtrees, dirmetas, content), as ostree's
// traverse_commit with depth 0 walks them. A walker shares what it has seen
// across commits, so walking many commits (prune) reads each dirtree once.
import { NotFoundError } from '../errors.js';
import { parseDirTree } from '../ostree/dirtree.js';
import type { Repo } from '../repo/repo.js';

export class ReachableObjects {
  readonly commits = new Set<string>();
  /** In walk order, root first. */
  readonly dirtrees = new Set<string>();
  readonly dirmetas = new Set<string>();
  /** Content checksum → the first path it was found at ("/usr/bin/x"). */
  readonly files = new Map<string, string>();
  /** Paths of every file entry, path → content checksum (only with `paths`). */
  readonly paths = new Map<string, string>();

  constructor(
    private repo: Repo,
    private options: { paths?: boolean } = {},
  ) {}

  /** Adds everything `commit` reaches (not its parents). */
  addCommit(commit: string): void {
    if (this.commits.has(commit)) return;
    const c = this.repo.readCommit(commit);
    this.commits.add(commit);
    this.dirmetas.add(c.rootMeta);
    this.addTree(c.rootTree, '', commit);
  }

  private addTree(tree: string, dir: string, commit: string): void {
    // Identical subtrees are walked once; their paths are recorded once.
    if (this.dirtrees.has(tree)) return;
    this.dirtrees.add(tree);
    let bytes: Buffer;
    try {
      bytes = this.repo.readMetadata(tree, 'dirtree');
    } catch (e) {
      if (e instanceof NotFoundError) throw new NotFoundError(`commit ${commit} is incomplete: ${e.message} (directory "${dir || '/'}")`);
      throw e;
    }
    const t = parseDirTree(bytes);
    for (const f of t.files) {
      const path = `${dir}/${f.name}`;
      if (!this.files.has(f.checksum)) this.files.set(f.checksum, path);
      if (this.options.paths) this.paths.set(path, f.checksum);
    }
    for (const d of t.dirs) {
      this.dirmetas.add(d.metaChecksum);
      this.addTree(d.treeChecksum, `${dir}/${d.name}`, commit);
    }
  }
}
