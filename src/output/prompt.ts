import type { Confirm } from '../engine/intent/run-command.js';

/**
 * The terminal side of the engine's confirmation rules: y/N for write, type-the-name for
 * destructive. Prompts go to stderr so stdout stays the command's output; Ctrl-C or Esc is a no.
 */
export const terminalConfirm: Confirm = async (request) => {
  const { default: enquirer } = await import('enquirer');
  try {
    if (request.kind === 'yes-no') {
      const answer = await enquirer.prompt<{ ok: boolean }>({
        type: 'confirm',
        name: 'ok',
        message: request.question,
        initial: false,
        stdout: process.stderr,
      });
      return answer.ok;
    }
    const answer = await enquirer.prompt<{ typed: string }>({
      type: 'input',
      name: 'typed',
      message: request.question,
      stdout: process.stderr,
    });
    return answer.typed;
  } catch {
    return false;
  }
};
