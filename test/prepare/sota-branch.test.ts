import assert from 'node:assert/strict';
import { BRANCHNAME_FILE, writeBranchName } from '../../src/prepare/sota-branch.js';
import { describeTree, memoryContext, modelTree } from '../helpers/prepare-model.js';

describe('prepare step sota-branch', () => {
  it('writes the branch to usr/share/sota/branchname without a newline', () => {
    const ctx = memoryContext();
    const tree = modelTree(ctx, []);
    writeBranchName(tree, ctx, 'imx6qsabresd/stable');
    assert.equal(describeTree(ctx, tree).get(BRANCHNAME_FILE), 'file 0644 imx6qsabresd/stable');
  });
});
