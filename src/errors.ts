// One error class per failure a user can meet. Each carries what the one-line
// message needs; the CLI maps them to stderr and an exit code in one place.

/** Base class: an expected failure with a message fit for users (no stack trace). */
export class UserError extends Error {
  exitCode = 1;
}

/** Bad command-line usage or settings. */
export class UsageError extends UserError {
  override exitCode = 2;
}

/** A tar entry we refuse (unsafe path, hardlink to nothing, bad name…). */
export class BadEntryError extends UserError {
  constructor(
    readonly entry: string,
    problem: string,
  ) {
    super(`${entry}: ${problem}`);
  }
}

/** The input file is damaged (truncated tar, corrupt compression). */
export class CorruptInputError extends UserError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Another writer holds the repository lock. */
export class RepoLockedError extends UserError {
  override exitCode = 75; // EX_TEMPFAIL: try again later
  constructor(
    readonly repo: string,
    holder: string,
  ) {
    super(`repository ${repo} is locked by ${holder}; try again when it has finished`);
  }
}

/** A repository, ref or object that is not there. */
export class NotFoundError extends UserError {}

/** A repository whose content is not what ostree would accept. */
export class RepoFormatError extends UserError {}

/**
 * A failure of the tool or of its installation (a worker thread that died, a library
 * that is missing), not of the input: passed on as it is, never blamed on the input.
 */
export class InternalError extends Error {}
