import { Args, Flags } from '@oclif/core';
import { KittenCommand } from '../cli/kitten-command.js';
import { UsageError } from '../engine/errors.js';
import { type AskResult, ask, EXIT_CODE_OF_STATUS } from '../engine/intent/ask.js';
import { commandLine, type Risk } from '../engine/intent/command.js';
import { loadPolicyContext } from '../engine/intent/policy-context.js';
import { readLlmConfig } from '../engine/llm/config.js';
import { parseSshTarget } from '../engine/ssh/target.js';
import { terminalConfirm } from '../output/prompt.js';
import { errStyle, symbols } from '../output/style.js';

const RISK_COLOUR: Record<Risk, (text: string) => string> = {
  read: errStyle.green,
  write: errStyle.yellow,
  destructive: (t) => errStyle.red.bold(t),
};

function parseTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) {
    throw new UsageError('TIMEOUT_INVALID', `--timeout "${text}" is not a duration`, {
      hint: 'write it as 30s, 2m, 500ms, or 0 for no limit',
    });
  }
  const unit = m[2] ?? 's';
  return Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000));
}

export default class Ask extends KittenCommand {
  static override summary =
    'Turn a plain-English request into one checked docker or kubectl command and run it';
  static override description =
    `The command is shown with its risk before anything runs: read runs at once, write asks y/N, destructive asks you to type the target's name. Without a terminal, --yes confirms read/write and --yes --force destructive commands.

JSON (--json): {request_id, intent, target, command, command_line, risk, explanation, source, overall_status, exit_code, stdout, stderr, duration_ms, reason}; overall_status is PLANNED, SUCCESS, FAILURE, TIMEOUT, REJECTED, NOT_CONFIRMED, UNSUPPORTED, LLM_ERROR or CONFIG_ERROR. Exit codes: 0 success or planned, 1 failed/unsupported/model error, 2 usage or configuration, 3 refused or not confirmed.`;
  static override examples = [
    '<%= config.bin %> ask "restart my-app"',
    '<%= config.bin %> ask "last 50 lines of checkout logs in the shop namespace" --target kubernetes',
    '<%= config.bin %> ask "scale api to 3 replicas" --dry-run --json',
    '<%= config.bin %> ask "what is running" --ssh deploy@10.0.0.5:2222 -i ~/.ssh/deploy',
  ];
  static override strict = false;
  static override args = {
    intent: Args.string({ description: 'what you want, in plain English', required: true }),
  };
  static override flags = {
    target: Flags.string({
      description: 'docker or kubernetes (default: inferred from the words)',
      options: ['docker', 'kubernetes'],
    }),
    namespace: Flags.string({ char: 'n', description: 'Kubernetes namespace', helpValue: 'NS' }),
    ssh: Flags.string({ description: 'run on this host over SSH', helpValue: 'USER@HOST[:PORT]' }),
    identity: Flags.string({
      char: 'i',
      description: 'SSH private key (default: ssh-agent, then ~/.ssh/id_*)',
      helpValue: 'FILE',
    }),
    'known-hosts': Flags.string({
      description: 'known_hosts file (default: ~/.ssh/known_hosts)',
      helpValue: 'FILE',
    }),
    'insecure-accept-host-key': Flags.boolean({
      description: 'accept an SSH host key that is not in known_hosts',
    }),
    'dry-run': Flags.boolean({ description: 'translate and check, never run' }),
    yes: Flags.boolean({ char: 'y', description: 'confirm read and write commands without a prompt' }),
    force: Flags.boolean({ description: 'with --yes, also confirm destructive commands' }),
    offline: Flags.boolean({ description: 'use the built-in translator even when a model is configured' }),
    fallback: Flags.boolean({ description: 'use the built-in translator when the model fails' }),
    timeout: Flags.string({
      description: 'stop the command after this long (0: no limit)',
      default: '30s',
      helpValue: 'DURATION',
    }),
  };

  async run(): Promise<AskResult> {
    const { flags, argv } = await this.parse(Ask);
    const intent = (argv as string[]).join(' ').trim();
    if (!intent)
      throw new UsageError('INTENT_EMPTY', 'say what you want', { hint: 'kitten ask "restart my-app"' });
    const timeoutMs = flags.timeout === undefined ? undefined : parseTimeout(flags.timeout);
    const target = flags.target as 'docker' | 'kubernetes' | undefined;
    const ssh = flags.ssh
      ? {
          target: parseSshTarget(flags.ssh),
          options: {
            identityFile: flags.identity,
            knownHostsFile: flags['known-hosts'],
            insecureAcceptHostKey: flags['insecure-accept-host-key'],
            timeoutMs: Math.min(timeoutMs || 30_000, 30_000), // the handshake, not the command
          },
        }
      : undefined;
    const json = this.jsonEnabled();
    const interactive = !json && Boolean(process.stdin.isTTY && process.stderr.isTTY);

    const result = await ask(
      {
        intent,
        target,
        namespace: flags.namespace,
        dryRun: flags['dry-run'],
        yes: flags.yes,
        force: flags.force,
        offline: flags.offline,
        fallback: flags.fallback,
        timeoutMs,
        ssh,
      },
      {
        llm: async () => {
          const config = readLlmConfig();
          if (!config) return undefined;
          // The openai client is loaded only when a model is configured.
          const { OpenAiProvider } = await import('../engine/llm/openai-provider.js');
          return new OpenAiProvider(config);
        },
        policy: loadPolicyContext,
        confirm: interactive ? terminalConfirm : undefined,
        terminal: interactive,
        onProposal: json
          ? undefined
          : ({ command, risk }) => {
              const where = flags.ssh ? errStyle.dim(`   on ${flags.ssh}`) : '';
              process.stderr.write(
                `${errStyle.bold(`${symbols.arrow} ${commandLine(command.argv)}`)}${where}\n`,
              );
              process.stderr.write(
                `  risk: ${RISK_COLOUR[risk](risk)}   ${errStyle.dim(`(${command.source})`)}\n`,
              );
              process.stderr.write(`  ${command.explanation}\n`);
            },
        onOutput: json
          ? undefined
          : (stream, chunk) => (stream === 'stdout' ? process.stdout : process.stderr).write(chunk),
      },
    );
    process.exitCode = EXIT_CODE_OF_STATUS[result.overall_status];
    if (!json) this.report(result);
    return result;
  }

  private report(result: AskResult): void {
    const reason = result.reason ?? '';
    const line = (mark: string, text: string) => process.stderr.write(`${mark} ${text}\n`);
    switch (result.overall_status) {
      case 'SUCCESS':
        line(errStyle.green(symbols.ok), errStyle.dim(`done in ${result.duration_ms} ms`));
        break;
      case 'PLANNED':
        line(errStyle.cyan(symbols.info), `dry run: nothing was run (${result.risk} command)`);
        break;
      case 'UNSUPPORTED':
        line(errStyle.red(symbols.fail), `I don't understand that: ${reason}`);
        process.stderr.write(
          errStyle.dim(
            '  hint: try "restart NAME", "last 50 lines of NAME logs", "scale NAME to 3", or see `kitten ask --help`\n',
          ),
        );
        break;
      default:
        line(errStyle.red(symbols.fail), `${result.overall_status}: ${reason}`);
        if (result.overall_status === 'NOT_CONFIRMED' && !process.stdin.isTTY && !reason.includes('--yes')) {
          process.stderr.write(
            errStyle.dim(
              `  hint: no terminal to ask on; pass --yes${result.risk === 'destructive' ? ' --force' : ''} to confirm\n`,
            ),
          );
        }
    }
  }
}
