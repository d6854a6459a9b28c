// GVariant type strings parsed into a tree that knows each type's alignment and
// fixed size: the two facts the serializer needs (GVariant spec, "Serialisation").

export type GvType =
  | { kind: 'basic'; code: BasicCode }
  | { kind: 'variant' }
  | { kind: 'array'; element: GvType }
  | { kind: 'maybe'; element: GvType }
  | { kind: 'tuple'; members: GvType[] }
  | { kind: 'dictEntry'; members: [GvType, GvType] };

export type BasicCode = 'y' | 'b' | 'n' | 'q' | 'i' | 'u' | 'x' | 't' | 'd' | 's' | 'o' | 'g' | 'h';

const BASIC_SIZES: Record<BasicCode, number | null> = {
  y: 1, b: 1, n: 2, q: 2, i: 4, u: 4, h: 4, x: 8, t: 8, d: 8, s: null, o: null, g: null,
};

const cache = new Map<string, GvType>();

/** Parses one complete type string, e.g. "(a{sv}aya(say)sstayay)". */
export function parseType(signature: string): GvType {
  let type = cache.get(signature);
  if (!type) {
    let end: number;
    [type, end] = parseAt(signature, 0);
    if (end !== signature.length) throw new Error(`invalid GVariant type string "${signature}"`);
    cache.set(signature, type);
  }
  return type;
}

/** True when the string is exactly one valid type (used to validate variant type tails). */
export function isValidSignature(signature: string): boolean {
  try {
    parseType(signature);
    return true;
  } catch {
    return false;
  }
}

function parseAt(s: string, pos: number): [GvType, number] {
  const c = s[pos];
  if (c === undefined) throw new Error(`truncated GVariant type string "${s}"`);
  if (c in BASIC_SIZES) return [{ kind: 'basic', code: c as BasicCode }, pos + 1];
  if (c === 'v') return [{ kind: 'variant' }, pos + 1];
  if (c === 'a') {
    const [element, end] = parseAt(s, pos + 1);
    return [{ kind: 'array', element }, end];
  }
  if (c === 'm') {
    const [element, end] = parseAt(s, pos + 1);
    return [{ kind: 'maybe', element }, end];
  }
  if (c === '(') {
    const members: GvType[] = [];
    let p = pos + 1;
    while (s[p] !== ')') {
      const [member, end] = parseAt(s, p);
      members.push(member);
      p = end;
    }
    return [{ kind: 'tuple', members }, p + 1];
  }
  if (c === '{') {
    const [key, afterKey] = parseAt(s, pos + 1);
    if (key.kind !== 'basic') throw new Error(`dict entry key must be basic in "${s}"`);
    const [value, afterValue] = parseAt(s, afterKey);
    if (s[afterValue] !== '}') throw new Error(`unterminated dict entry in "${s}"`);
    return [{ kind: 'dictEntry', members: [key, value] }, afterValue + 1];
  }
  throw new Error(`invalid character "${c}" in GVariant type string "${s}"`);
}

const alignCache = new WeakMap<GvType, number>();
const sizeCache = new WeakMap<GvType, number | null>();

export function alignmentOf(t: GvType): number {
  let a = alignCache.get(t);
  if (a === undefined) {
    a = computeAlignment(t);
    alignCache.set(t, a);
  }
  return a;
}

function computeAlignment(t: GvType): number {
  switch (t.kind) {
    case 'basic':
      return BASIC_SIZES[t.code] ?? 1;
    case 'variant':
      return 8;
    case 'array':
    case 'maybe':
      return alignmentOf(t.element);
    case 'tuple':
    case 'dictEntry':
      return t.members.reduce((max, m) => Math.max(max, alignmentOf(m)), 1);
  }
}

/** Size in bytes of a fixed-size type, or null for variable-size types. */
export function fixedSizeOf(t: GvType): number | null {
  let s = sizeCache.get(t);
  if (s === undefined) {
    s = computeFixedSize(t);
    sizeCache.set(t, s);
  }
  return s;
}

function computeFixedSize(t: GvType): number | null {
  switch (t.kind) {
    case 'basic':
      return BASIC_SIZES[t.code];
    case 'variant':
    case 'array':
    case 'maybe':
      return null;
    case 'tuple':
    case 'dictEntry': {
      if (t.members.length === 0) return 1; // the unit tuple is one zero byte
      let size = 0;
      for (const m of t.members) {
        const ms = fixedSizeOf(m);
        if (ms === null) return null;
        size = alignUp(size, alignmentOf(m)) + ms;
      }
      return alignUp(size, alignmentOf(t));
    }
  }
}

export function alignUp(n: number, alignment: number): number {
  return (n + alignment - 1) & ~(alignment - 1);
}
