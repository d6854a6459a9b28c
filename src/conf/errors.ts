// Errors of the configuration reader. Messages keep BitBake's wording where it
// has one, prefixed with the origin (file:line) so editors can jump to it.
import { UserError } from '../errors.js';
import { describeOrigin, type Origin } from './origin.js';

/** A configuration BitBake would refuse: syntax, a missing require, old override syntax… */
export class ConfParseError extends UserError {
  constructor(
    readonly problem: string,
    readonly origin: Origin,
  ) {
    super(`${describeOrigin(origin)}: ${problem}`);
  }
}

/**
 * A value that cannot be expanded: inline Python outside the supported subset, or a
 * variable that references itself. Raised when the value is read (BitBake is lazy too);
 * the origin is the assignment that holds the failing expression, once known.
 */
export class ExpansionError extends UserError {
  /** Variables being expanded when it failed, innermost first (BitBake's "dependency chain"). */
  readonly chain: string[];
  origin?: Origin;

  constructor(
    readonly variable: string | undefined,
    /** The `${@…}` text, or the reference, that failed. */
    readonly failing: string,
    readonly expression: string,
    readonly exception: string,
    readonly detail: string,
  ) {
    super('');
    this.chain = variable ? [variable] : [];
    this.message = this.describe();
  }

  /** Records the variable whose expansion needed the failing one. */
  addVariable(name: string): void {
    if (this.chain[this.chain.length - 1] !== name) this.chain.push(name);
    this.message = this.describe();
  }

  locate(origin: Origin): void {
    this.origin = origin;
    this.message = this.describe();
  }

  private describe(): string {
    const what = this.variable
      ? `Failure expanding variable ${this.variable}, expression was ${this.expression} which triggered exception ${this.exception}: ${this.detail}`
      : `Failure expanding expression ${this.expression} which triggered exception ${this.exception}: ${this.detail}`;
    const chain = this.chain.length > 1 ? ` (variable dependency chain: ${this.chain.join(' -> ')})` : '';
    return `${this.origin ? describeOrigin(this.origin) + ': ' : ''}${what}${chain}`;
  }
}
