// GKeyFile text exactly as g_key_file_to_data writes it: groups and keys in the
// order they were set, a blank line between groups, values escaped the GKeyFile way
// (\s for a leading space, \n \t \r \\). repo-config.ts's `ini` output quotes values
// holding ";" or "#", which GKeyFile would read back with the quotes, so the device
// repo config, the .origin file and remote sections are written with this instead.

/** Groups in insertion order; keys in insertion order within each group. */
export class KeyFileText {
  private readonly groups = new Map<string, Map<string, string>>();

  /** Sets group.key, keeping the key's place when it exists (as g_key_file_set_value does). */
  set(group: string, key: string, value: string): this {
    let entries = this.groups.get(group);
    if (!entries) this.groups.set(group, (entries = new Map()));
    entries.set(key, value);
    return this;
  }

  get(group: string, key: string): string | undefined {
    return this.groups.get(group)?.get(key);
  }

  toString(): string {
    const blocks: string[] = [];
    for (const [group, entries] of this.groups) {
      const lines = [`[${group}]`, ...[...entries].map(([k, v]) => `${k}=${escapeValue(v)}`)];
      blocks.push(lines.join('\n') + '\n');
    }
    return blocks.join('\n');
  }
}

function escapeValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === ' ' && i === 0) out += '\\s';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\\') out += '\\\\';
    else out += c;
  }
  return out;
}
