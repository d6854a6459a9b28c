// The one error class of preparation: the tree cannot be made OSTree-ready as
// asked. The message names the step and the entry or file at fault.
import { UserError } from '../errors.js';

export class PrepareError extends UserError {
  constructor(
    readonly step: string,
    problem: string,
  ) {
    super(`prepare ${step}: ${problem}`);
  }
}
