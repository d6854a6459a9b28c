// The repository `config` file: a GKeyFile, read and written with `ini`.
// Group names such as `remote "origin"` are kept whole (no dotted nesting).
import { readFileSync } from 'node:fs';
import * as ini from 'ini';
import { RepoFormatError } from '../errors.js';
import type { RepoMode } from '../ostree/object-type.js';

export type KeyFile = Record<string, Record<string, string>>;

export function parseKeyFile(text: string): KeyFile {
  // GKeyFile has no dotted sections; escape dots so `ini` does not nest them.
  const escaped = text.replace(/^\[([^\]]*)\]/gm, (_m, name: string) => `[${name.replace(/\./g, '\\.')}]`);
  const parsed = ini.parse(escaped) as Record<string, unknown>;
  const out: KeyFile = {};
  for (const [group, entries] of Object.entries(parsed)) {
    if (typeof entries !== 'object' || entries === null) continue;
    out[group] = Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, String(v)]));
  }
  return out;
}

export function stringifyKeyFile(kf: KeyFile): string {
  const escaped: Record<string, Record<string, string>> = {};
  for (const [group, entries] of Object.entries(kf)) escaped[group.replace(/\./g, '\\.')] = entries;
  return ini.stringify(escaped, { whitespace: false });
}

/** The mode names ostree writes in config; archive is historically "archive-z2". */
export function modeToConfig(mode: RepoMode): string {
  return mode === 'archive' ? 'archive-z2' : mode;
}

export function modeFromConfig(value: string | undefined, file: string): RepoMode {
  switch (value) {
    case 'archive':
    case 'archive-z2':
      return 'archive';
    case 'bare':
    case 'bare-user':
    case 'bare-user-only':
      return value;
    default:
      throw new RepoFormatError(`${file}: unsupported repository mode "${value ?? ''}"`);
  }
}

export function readKeyFile(file: string): KeyFile {
  return parseKeyFile(readFileSync(file, 'utf8'));
}
