import { Box, Text } from 'ink';
import { truncate } from '../model/table-layout.js';
import type { CommandView, Risk } from '../session/port.js';

const riskColour: Record<Risk, string> = { read: 'green', write: 'yellow', destructive: 'red' };

/**
 * Quotes an argv the way a shell would need it, for display only: nothing is ever run as a string.
 * The engine's argv starts with the tool itself (`kubectl get pods`).
 */
export function displayArgv(command: CommandView): string {
  const words = command.argv[0] === command.tool ? command.argv : [command.tool, ...command.argv];
  return words
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export function RiskBadge({ risk }: { risk: Risk }) {
  return (
    <Text color={riskColour[risk]} bold>
      [{risk}]
    </Text>
  );
}

export function CommandSummary({ command, width }: { command: CommandView; width: number }) {
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <RiskBadge risk={command.risk} />{' '}
        <Text bold>{truncate(displayArgv(command), Math.max(4, width - 16))}</Text>
      </Text>
      {command.explanation ? (
        <Text color="gray" wrap="wrap">
          {command.explanation}
          {command.source === 'llm' ? ' (proposed by the LLM)' : ''}
        </Text>
      ) : null}
    </Box>
  );
}
