import { fileFlag, KittenCommand, projectFlag } from '../cli/kitten-command.js';
import { inspectStack } from '../engine/stack/index.js';
import { style, symbols } from '../output/style.js';

export interface ValidateResult {
  valid: boolean;
  file: string;
  format: 'kitten' | 'compose';
  project: string;
  containers?: number;
  networks?: number;
  errors: { path: string; message: string }[];
  warnings: { path: string; message: string }[];
}

export default class Validate extends KittenCommand {
  static override summary = 'Check a stack file and report every problem at once';
  static override description =
    'Validates a Kitten stack file (JSON or YAML) or a docker-compose file: unknown fields, types, references, dependency cycles, ports, addresses. Exits 1 when the file is invalid.';
  static override examples = [
    '<%= config.bin %> validate',
    '<%= config.bin %> validate -f docker-compose.yml --json',
  ];
  static override flags = { file: fileFlag, project: projectFlag };

  async run(): Promise<ValidateResult> {
    const { flags } = await this.parse(Validate);
    const report = await inspectStack({ file: flags.file, project: flags.project });
    const result: ValidateResult = {
      valid: report.stack !== null,
      file: report.file,
      format: report.format,
      project: report.project,
      ...(report.stack
        ? {
            containers: Object.keys(report.stack.containers).length,
            networks: Object.keys(report.stack.networks).length,
          }
        : {}),
      errors: report.problems,
      warnings: report.warnings,
    };
    this.failed = !result.valid;
    if (!this.jsonEnabled()) this.print(result);
    return result;
  }

  private print(result: ValidateResult): void {
    for (const w of result.warnings)
      process.stderr.write(`${style.yellow(`${symbols.warn} ${w.path}: ${w.message}`)}\n`);
    if (result.valid) {
      process.stdout.write(
        `${style.green(symbols.ok)} ${result.file} is valid (${result.format}): project ${style.bold(result.project)}, ${result.containers} container(s), ${result.networks} network(s)\n`,
      );
      return;
    }
    process.stdout.write(`${style.red(symbols.fail)} ${result.file}: ${result.errors.length} problem(s)\n`);
    for (const e of result.errors) {
      process.stdout.write(`  ${e.path ? `${style.bold(e.path)}: ` : ''}${e.message}\n`);
    }
  }
}
