import { EXIT_CODES, isKittenError, type KittenError, ValidationError } from '../engine/errors.js';
import { errStyle, symbols } from './style.js';

export interface PrintedError {
  exitCode: number;
  json: { error: ReturnType<KittenError['toJSON']> };
}

/** Anything oclif itself raised for a bad command line (unknown flag, missing arg) is a usage error. */
function isOclifUsageError(error: unknown): error is Error & { oclif?: { exit?: number } } {
  if (!(error instanceof Error)) return false;
  const name = error.constructor?.name ?? '';
  return (
    /Parse|Flag|Arg|Validation|Nonexistent|Failed/.test(name) ||
    ('oclif' in error && (error as { oclif?: { exit?: number } }).oclif?.exit === 2)
  );
}

export function describeError(error: unknown): PrintedError {
  if (isKittenError(error)) {
    return { exitCode: EXIT_CODES[error.kind], json: { error: error.toJSON() } };
  }
  if (isOclifUsageError(error)) {
    // oclif lists what is missing on the lines after "Missing 1 required arg:": name it in the one line.
    const lines = error.message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const head = lines[0] ?? 'invalid command line';
    const message = head.endsWith(':') && lines[1] ? `${head} ${lines[1].split(/\s+/)[0]}` : head;
    return {
      exitCode: 2,
      json: { error: { code: 'USAGE', message, hint: 'run the command with --help to see its flags' } },
    };
  }
  const message = error instanceof Error ? firstLine(error.message) || 'unknown error' : String(error);
  return {
    exitCode: 1,
    json: {
      error: {
        code: 'INTERNAL',
        message,
        hint: 'this is a bug in Kitten; run again with KITTEN_DEBUG=1 for the stack trace and report it',
      },
    },
  };
}

/** The first line of `text` that says something (blank lines skipped), or '' when none does. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  );
}

/** The one way an error reaches a person: one line, then a hint, never a stack (unless KITTEN_DEBUG=1). */
export function renderError(error: unknown, stream: NodeJS.WriteStream = process.stderr): number {
  const { exitCode, json } = describeError(error);
  stream.write(`${errStyle.red(`${symbols.fail} ${json.error.message}`)}\n`);
  if (error instanceof ValidationError && error.problems.length > 1) {
    for (const p of error.problems)
      stream.write(`  ${p.path ? `${errStyle.bold(p.path)}: ` : ''}${p.message}\n`);
  }
  if (json.error.hint) stream.write(`${errStyle.dim(`  hint: ${json.error.hint}`)}\n`);
  if (process.env.KITTEN_DEBUG === '1' && error instanceof Error && error.stack) {
    stream.write(`${error.stack}\n`);
  }
  return exitCode;
}
