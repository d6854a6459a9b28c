// Writes the tree model as dirtree and dirmeta objects, bottom-up, and returns the
// root's (dirtree, dirmeta) checksums: the two a commit points at.
import { encodeDirMeta } from '../ostree/dirmeta.js';
import { encodeDirTree, type DirTree } from '../ostree/dirtree.js';
import type { Transaction } from '../repo/transaction.js';
import type { DirNode } from '../tree/tree.js';

export interface TreeChecksums {
  tree: string;
  meta: string;
}

export function writeTree(tx: Transaction, dir: DirNode): TreeChecksums {
  const contents: DirTree = { files: [], dirs: [] };
  for (const [name, node] of dir.children) {
    if (node.kind === 'file') {
      if (!node.checksum) throw new Error(`internal: content of ${name} was never written`);
      contents.files.push({ name, checksum: node.checksum });
    } else {
      const sub = writeTree(tx, node);
      contents.dirs.push({ name, treeChecksum: sub.tree, metaChecksum: sub.meta });
    }
  }
  return {
    tree: tx.writeMetadata('dirtree', encodeDirTree(contents)),
    meta: tx.writeMetadata('dirmeta', encodeDirMeta(dir.meta)),
  };
}
