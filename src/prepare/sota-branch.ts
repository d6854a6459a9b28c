// Step "sota-branch": usr/share/sota/branchname holds the branch (no newline), as
// meta-updater writes it; aktualizr and update scripts read it on the device.
import type { PrepareContext } from '../commit/prepare-context.js';
import type { Tree } from '../tree/tree.js';
import { ROOT_DIR_META } from './tree-paths.js';

export const BRANCHNAME_FILE = 'usr/share/sota/branchname';

export function writeBranchName(tree: Tree, ctx: PrepareContext, branch: string): void {
  tree.setFile(BRANCHNAME_FILE, ctx.newFile(Buffer.from(branch)), ROOT_DIR_META);
}
