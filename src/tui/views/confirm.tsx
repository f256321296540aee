import { Box, Text } from 'ink';
import { LineInput } from '../components/line-input.js';
import { useKeys } from '../components/use-keys.js';
import { useLine } from '../components/use-line.js';
import type { ConfirmRequest } from '../session/port.js';
import { CommandSummary } from './command-summary.js';

export interface ConfirmPromptProps {
  request: ConfirmRequest;
  onAnswer: (answer: boolean | string) => void;
  width: number;
}

/**
 * The executor's question, asked in the TUI: `y/N` for a write, the object's name typed out for a
 * destructive command. Anything else is a no, and a no is final for that command.
 */
export function ConfirmPrompt({ request, onAnswer, width }: ConfirmPromptProps) {
  const typed = useLine();
  const expected = request.typeToConfirm;
  useKeys((input, key) => {
    if (key.escape) return onAnswer(false);
    if (expected === null) {
      onAnswer(input === 'y' || input === 'Y');
      return;
    }
    // The executor compares what was typed with the name; the prompt only collects it.
    if (key.return) return onAnswer(typed.current());
    typed.edit(input, key);
  });
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor={expected ? 'red' : 'yellow'}
      paddingX={1}
      width={width}
    >
      <CommandSummary command={request.command} width={width - 4} />
      {expected === null ? (
        <Text>
          Run this <Text color="yellow">{request.command.risk}</Text> command? <Text bold>y</Text>/N
        </Text>
      ) : (
        <>
          <Text color="red">
            Destructive. Type <Text bold>{expected}</Text> and Enter to run it; Esc cancels.
          </Text>
          <LineInput prompt="confirm> " value={typed.value} width={width - 4} />
        </>
      )}
    </Box>
  );
}
