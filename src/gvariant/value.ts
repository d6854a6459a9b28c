// How GVariant values look in TypeScript. The mapping is fixed per type code so
// that encode and decode are exact inverses:
//   y n q i u h → number     x t → bigint     b → boolean     d → number (float64)
//   s o g → string (UTF-8)   ay → Buffer (raw bytes, the common case in ostree)
//   aT → GvValue[]           mT → value | null
//   (…) → GvValue[]          {kv} → [key, value]      v → Variant

export class Variant {
  constructor(
    readonly signature: string,
    readonly value: GvValue,
  ) {}
}

export type GvValue = number | bigint | boolean | string | Buffer | Variant | null | GvValue[];

/** An a{sv} dictionary as an ordered list of entries: order is part of the bytes. */
export type VardictEntries = [string, Variant][];

