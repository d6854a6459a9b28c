// Typed reading of setting values: what each schema type accepts, with the wording
// of meta-updater's sanity checks where they have one.
import fs from 'node:fs';
import { isValidRef, isValidRemoteName } from '../ostree/validate.js';
import { VAR_REFERENCE } from './expand.js';
import type { Setting } from './schema.js';

const TRUE_WORDS = ['yes', 'y', 'true', 't', '1'];
const FALSE_WORDS = ['no', 'n', 'false', 'f', '0'];
const NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** What oe.types.boolean() accepts, in the words of meta-updater's sanity check. */
export const BOOLEAN_PROBLEM = 'should be set to yes/y/true/t/1 or no/n/false/f/0';

/** oe.types.boolean(): undefined when the text is none of its words. */
export function parseBoolean(value: string): boolean | undefined {
  const word = value.toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return undefined;
}

/** Why `value` (expanded) does not fit `setting`, or undefined when it does. */
export function valueProblem(setting: Setting, value: string): string | undefined {
  if (setting.type === 'boolean') {
    return parseBoolean(value) === undefined ? BOOLEAN_PROBLEM : undefined;
  }
  if (value === '') return undefined; // empty counts as unset (sota_sanity), except for booleans
  if (setting.type !== 'string') {
    // BitBake leaves references to unset variables as they are: useless in a path or a ref.
    const reference = VAR_REFERENCE.exec(value);
    if (reference) return `it refers to ${reference[0].slice(2, -1)}, which is not set`;
  }
  if (setting.choices && !setting.choices.includes(value)) return `should be one of ${setting.choices.join(', ')}`;
  switch (setting.type) {
    case 'path':
      return setting.mustExist && !fs.existsSync(value) ? 'the file does not exist' : undefined;
    case 'size':
      return /^\d+$/.test(value) ? undefined : 'should be a size in KiB (a whole number)';
    case 'integer':
      return /^\s*[-+]?\d+\s*$/.test(value) ? undefined : 'should be a whole number';
    case 'number':
      return NUMBER.test(value) ? undefined : 'should be a number';
    case 'ref':
      return isValidRef(value) ? undefined : 'is not a valid OSTree ref (letters, digits, "_", "-", "." in "/"-separated parts)';
    case 'osname':
      return isValidRemoteName(value) ? undefined : 'is not a valid stateroot name (letters, digits, "_", "-", ".", not starting with "-" or ".")';
    default:
      return undefined;
  }
}
