// os-release as ostree admin deploy reads it for the BLS title (parse_os_release:
// KEY=value lines, "#" comments, values through g_shell_unquote).

/** g_shell_unquote: '…' literal, "…" with \ escaping $ ` " \ and newline, bare \x → x. Undefined when unbalanced. */
export function shellUnquote(text: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        const d = text[i];
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') out += text[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') out += text[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function parseOsRelease(contents: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of contents.split('\n')) {
    if (line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const value = shellUnquote(line.slice(eq + 1));
    if (value !== undefined) out.set(line.slice(0, eq), value);
  }
  return out;
}
