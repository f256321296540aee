import { Command, Flags, type Interfaces } from '@oclif/core';
import { describeError, renderError } from '../output/errors.js';
import { toJson } from '../output/format.js';
import { createProgress, type ProgressMode, type ProgressRenderer } from '../output/progress.js';

export type KittenFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof KittenCommand)['baseFlags'] & T['flags']
>;

/**
 * The CLI edge: every command extends this. It owns `--json`, maps errors to exit codes once
 * (0 ok, 1 failed, 2 usage, 3 refused) and prints them as one line plus a hint.
 */
export abstract class KittenCommand extends Command {
  static override enableJsonFlag = true;

  /** Set by a command whose result is printed but still means failure (validation errors, --fail-on). */
  protected failed = false;

  /** The progress renderer the --progress flag asks for; with --json, `auto` means quiet (stdout is the result). */
  protected progress(mode: string): ProgressRenderer {
    return createProgress((this.jsonEnabled() && mode === 'auto' ? 'quiet' : mode) as ProgressMode);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    // oclif's own exit (from this.exit) carries its code; let it through.
    if (error.constructor?.name === 'ExitError') throw error;
    if (this.jsonEnabled()) {
      const { exitCode, json } = describeError(error);
      process.stdout.write(toJson(json));
      process.exitCode = exitCode;
      return undefined;
    }
    process.exitCode = renderError(error);
    return undefined;
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    if (!error && this.failed && !process.exitCode) process.exitCode = 1;
    return super.finally(error);
  }
}

export const fileFlag = Flags.string({
  char: 'f',
  description:
    'stack file (default: kitten.yaml, kitten.yml, kitten.json, compose.yaml or docker-compose.yml here)',
  helpValue: 'FILE',
});

export const projectFlag = Flags.string({
  char: 'p',
  description: "project name (default: the stack file's directory name)",
  helpValue: 'NAME',
});
