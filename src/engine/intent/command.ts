/**
 * The one shape every proposed action takes, whoever proposed it (the offline grammar, an LLM,
 * a codex plan): a tool and an argv, never a shell string. `argv[0]` is the tool itself.
 */
export type Tool = 'docker' | 'kubectl';
export type Risk = 'read' | 'write' | 'destructive';
export type CommandSource = 'offline' | 'llm';
export type Target = 'docker' | 'kubernetes';

export interface Command {
  tool: Tool;
  argv: string[];
  risk: Risk;
  explanation: string;
  source: CommandSource;
}

export const TOOL_OF_TARGET: Record<Target, Tool> = { docker: 'docker', kubernetes: 'kubectl' };

/** How the command reads when printed for a person; quoting matches what a POSIX shell would need. */
export function commandLine(argv: readonly string[]): string {
  return argv
    .map((word) =>
      word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`,
    )
    .join(' ');
}
