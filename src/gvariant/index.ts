export { encodeVariant } from './serialize.js';
export { decodeVariant, isNormalForm, GVariantFormatError } from './deserialize.js';
export { Variant, type GvValue, type VardictEntries } from './value.js';
