import { Box, Text } from 'ink';
import { truncate } from '../model/table-layout.js';
import type { RunOutcome } from '../session/port.js';

/** What became of a command: its output, a decline, or the policy's refusal. */
export function OutcomePane({
  outcome,
  height,
  width,
}: {
  outcome: RunOutcome;
  height: number;
  width: number;
}) {
  if (outcome.status === 'declined')
    return <Text color="yellow">Not run: you declined. Nothing was changed.</Text>;
  if (outcome.status === 'refused') return <Text color="red">Refused by policy: {outcome.reason}</Text>;
  const { exitCode, stdout, stderr } = outcome.result;
  const lines = [...stdout.split('\n'), ...stderr.split('\n')].filter(
    (l, i, all) => l !== '' || i < all.length - 1,
  );
  const shown = lines.slice(-Math.max(1, height - 1));
  return (
    <Box flexDirection="column">
      <Text color={exitCode === 0 ? 'green' : 'red'}>
        {exitCode === 0 ? '✔ done (exit 0)' : `✖ failed (exit ${exitCode})`}
      </Text>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: output lines have no identity beyond their position
        <Text key={i} wrap="truncate">
          {truncate(line, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
