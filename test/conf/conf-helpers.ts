// Helpers for the configuration tests: write conf files into a temp dir and
// evaluate them with nothing else around (no schema defaults, no build dir).
import fs from 'node:fs';
import path from 'node:path';
import { DataStore } from '../../src/conf/datastore.js';
import { ConfReader } from '../../src/conf/include.js';

/** Writes `files` (path relative to `root` → text) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

export interface Evaluated {
  store: DataStore;
  warnings: string[];
  /** The absolute path of the file evaluated. */
  file: string;
}

/** Evaluates `text` as the file `dir/name`, like BitBake evaluating one .conf file. */
export function evaluate(dir: string, text: string, name = 'test.conf', store = new DataStore()): Evaluated {
  const file = path.join(dir, name);
  writeFiles(dir, { [name]: text });
  const reader = new ConfReader(store);
  reader.readFile(file, true, { source: 'test' });
  return { store, warnings: reader.warnings, file };
}

/** The (expanded) values of `names` in `store`. */
export function values(store: DataStore, ...names: string[]): (string | undefined)[] {
  return names.map((n) => store.getVar(n));
}
