import { Box, Text } from 'ink';
import { truncate } from '../model/table-layout.js';
import type { RunOutcome } from '../session/port.js';

/** The last `height - 1` lines of a command's output, stdout then stderr, without trailing blanks. */
export function outputTail(stdout: string, stderr: string, height: number): { id: number; text: string }[] {
  const lines = [...stdout.replace(/\n+$/, '').split('\n'), ...stderr.replace(/\n+$/, '').split('\n')]
    .map((text, id) => ({ id, text }))
    .filter((line) => line.text !== '');
  return lines.slice(-Math.max(1, height - 1));
}

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
  if (outcome.status === 'declined') {
    const why = outcome.reason && outcome.reason !== 'declined' ? outcome.reason : 'you declined';
    return (
      <Text color="yellow" wrap="truncate">
        {truncate(`Not run: ${why}. Nothing was changed.`, width)}
      </Text>
    );
  }
  if (outcome.status === 'refused') {
    return (
      <Text color="red" wrap="truncate">
        {truncate(`Refused by policy: ${outcome.reason}`, width)}
      </Text>
    );
  }
  const { exitCode, stdout, stderr, reason } = outcome.result;
  return (
    <Box flexDirection="column">
      <Text color={exitCode === 0 ? 'green' : 'red'} wrap="truncate">
        {exitCode === 0 ? '✔ done (exit 0)' : `✖ ${reason ?? `failed (exit ${exitCode})`}`}
      </Text>
      {outputTail(stdout, stderr, height).map((line) => (
        <Text key={line.id} wrap="truncate">
          {truncate(line.text, width)}
        </Text>
      ))}
    </Box>
  );
}
