import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { DEFAULT_SCHEMA, loadAll, type YAMLException } from 'js-yaml';
import { UsageError, ValidationError, type ValidationProblem } from '../errors.js';
import { importCompose, isComposeDocument } from './compose.js';
import type { Stack, StackFormat } from './model.js';
import { normalizeStack } from './normalize.js';
import type { StackFile } from './spec.js';
import { validateStackObject } from './validate.js';

/** Looked for, in this order, when no -f is given. */
export const STACK_FILE_NAMES = [
  'kitten.yaml',
  'kitten.yml',
  'kitten.json',
  'compose.yaml',
  'docker-compose.yml',
];
export const PROJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export interface LoadOptions {
  file?: string;
  cwd?: string;
  project?: string;
  env?: NodeJS.ProcessEnv;
}

export interface StackReport {
  file: string;
  format: StackFormat;
  project: string;
  problems: ValidationProblem[];
  warnings: ValidationProblem[];
  /** Null when there are problems. */
  stack: Stack | null;
}

export function discoverStackFile(cwd: string): string {
  for (const name of STACK_FILE_NAMES) {
    const candidate = resolve(cwd, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new UsageError('STACK_NOT_FOUND', `no stack file in ${cwd}`, {
    hint: `create one of ${STACK_FILE_NAMES.join(', ')} or pass -f FILE`,
  });
}

/** Docker compose's rule: lower-case, and only letters, digits, `_` and `-`. */
export function projectNameFrom(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '');
  return name || 'default';
}

/** Reads, parses, imports (compose), validates and normalizes; validation problems are returned, not thrown. */
export async function inspectStack(options: LoadOptions = {}): Promise<StackReport> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ? resolve(cwd, options.file) : discoverStackFile(cwd);
  if (options.project !== undefined && !PROJECT_NAME_PATTERN.test(options.project)) {
    throw new UsageError('PROJECT_NAME_INVALID', `project name "${options.project}" is not valid`, {
      hint: 'use lower-case letters, digits, - and _, starting with a letter or digit',
    });
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      'STACK_UNREADABLE',
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
      {
        hint: 'check the path given with -f',
      },
    );
  }
  const parsed = parseDocument(text, file);
  const dirProject = projectNameFrom(basename(dirname(file)));
  if ('problem' in parsed) {
    return {
      file,
      format: 'kitten',
      project: options.project ?? dirProject,
      problems: [parsed.problem],
      warnings: [],
      stack: null,
    };
  }

  let raw: unknown = parsed.value;
  let format: StackFormat = 'kitten';
  let warnings: ValidationProblem[] = [];
  let importProblems: ValidationProblem[] = [];
  let toSourcePath = (p: string) => p;
  let project = options.project ?? dirProject;
  if (isComposeDocument(raw)) {
    const imported = importCompose(raw as Record<string, unknown>);
    format = 'compose';
    raw = imported.stack;
    warnings = imported.warnings;
    importProblems = imported.problems;
    toSourcePath = imported.toComposePath;
    if (options.project === undefined && imported.name) project = projectNameFrom(imported.name);
  }
  const problems = [
    ...importProblems,
    ...validateStackObject(raw).map((p) => ({ path: toSourcePath(p.path), message: p.message })),
  ];
  const stack =
    problems.length === 0
      ? normalizeStack(raw as StackFile, {
          project,
          path: file,
          format,
          ...(options.env ? { env: options.env } : {}),
        })
      : null;
  return { file, format, project, problems, warnings, stack };
}

export async function loadStack(options: LoadOptions = {}): Promise<Stack> {
  const report = await inspectStack(options);
  if (!report.stack) throw new ValidationError(report.file, report.problems);
  return report.stack;
}

function parseDocument(text: string, file: string): { value: unknown } | { problem: ValidationProblem } {
  if (extname(file) === '.json') {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      return { problem: { path: '', message: `not valid JSON: ${(error as Error).message}` } };
    }
  }
  // js-yaml: several times faster than the alternatives on big stacks, and strict about duplicate keys.
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { filename: file, schema: DEFAULT_SCHEMA });
  } catch (error) {
    const e = error as YAMLException;
    const where = e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : '';
    return { problem: { path: '', message: `not valid YAML: ${where}${e.reason ?? e.message}` } };
  }
  if (docs.length > 1) return { problem: { path: '', message: 'a stack file holds one YAML document' } };
  const value = docs[0];
  if (value === null || value === undefined) return { problem: { path: '', message: 'the file is empty' } };
  return { value };
}
