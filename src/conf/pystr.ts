// Python's notion of whitespace. BitBake strips lines, splits lists and matches
// `\s` with Python's rules, which are wider than JavaScript's (\x1c-\x1f, \x85)
// and narrower in one place (no U+FEFF); agreeing with BitBake needs its set.

/** The characters Python's str.isspace() and re's `\s` accept, as a regex class. */
export const PY_WS = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const LEADING = new RegExp(`^${PY_WS}+`);
const TRAILING = new RegExp(`${PY_WS}+$`);
const RUNS = new RegExp(`${PY_WS}+`);
/** Splits keeping each single whitespace character as its own element, like re.split(r'(\s)', s). */
const EACH_WS = new RegExp(`(${PY_WS})`);

export const pyRstrip = (s: string): string => s.replace(TRAILING, '');
export const pyStrip = (s: string): string => pyRstrip(s.replace(LEADING, ''));

/** str.split() without arguments: words separated by whitespace runs, no empty words. */
export function pySplit(s: string): string[] {
  const stripped = pyStrip(s);
  return stripped === '' ? [] : stripped.split(RUNS);
}

/** re.split(r'(\s)', s): words and single whitespace characters (and '' between two of them). */
export const pySplitKeepingWhitespace = (s: string): string[] => s.split(EACH_WS);
