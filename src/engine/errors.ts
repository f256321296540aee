/**
 * Every failure a person can act on is a KittenError: a stable code for scripts, a one-line
 * message, and a hint that says what to do. The CLI edge maps `kind` to an exit code once.
 */
export type ErrorKind = 'failure' | 'usage' | 'refused';

export interface ErrorDetails {
  readonly [key: string]: unknown;
}

export class KittenError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails | undefined;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; kind?: ErrorKind; details?: ErrorDetails; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.kind = options.kind ?? 'failure';
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; hint?: string; details?: ErrorDetails } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** The person asked for something malformed: wrong flags, a missing file, a bad argument. */
export class UsageError extends KittenError {
  constructor(code: string, message: string, options: { hint?: string; details?: ErrorDetails } = {}) {
    super(code, message, { ...options, kind: 'usage' });
  }
}

/** A policy refused the action, or the person did not confirm it. */
export class RefusedError extends KittenError {
  constructor(code: string, message: string, options: { hint?: string; details?: ErrorDetails } = {}) {
    super(code, message, { ...options, kind: 'refused' });
  }
}

/** A stack file (or any structured input) failed validation; carries every problem found. */
export interface ValidationProblem {
  path: string;
  message: string;
}

export class ValidationError extends KittenError {
  readonly problems: ValidationProblem[];
  constructor(file: string, problems: ValidationProblem[]) {
    const first = problems[0];
    const summary =
      problems.length === 1 && first
        ? `${file}: ${first.path ? `${first.path}: ` : ''}${first.message}`
        : `${file}: ${problems.length} problems`;
    super('STACK_INVALID', summary, {
      hint: `run \`kitten validate -f ${file}\` to see every problem with its path`,
      details: { problems },
    });
    this.problems = problems;
  }
}

/** A runtime (native, docker, kubernetes) could not do what was asked. */
export class RuntimeError extends KittenError {}

export function isKittenError(error: unknown): error is KittenError {
  return error instanceof KittenError;
}

export const EXIT_CODES: Record<ErrorKind, number> = { failure: 1, usage: 2, refused: 3 };
