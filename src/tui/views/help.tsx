import { Box, Text } from 'ink';
import { useKeys } from '../components/use-keys.js';
import { helpSections } from '../model/keys.js';

/** `?`: every key, from the same list the footer is drawn from. */
export function HelpOverlay({ onClose, width }: { onClose: () => void; width: number }) {
  useKeys((input, key) => {
    if (key.escape || input === '?' || input === 'q' || key.return) onClose();
  });
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold color="cyan">
        Keys
      </Text>
      {helpSections.map((section) => (
        <Box key={section.title} flexDirection="column" marginTop={1}>
          <Text bold>{section.title}</Text>
          {section.keys.map((k) => (
            <Text key={k.keys} wrap="truncate">
              {'  '}
              <Text color="cyan">{k.keys.padEnd(14)}</Text> {k.does}
            </Text>
          ))}
        </Box>
      ))}
      <Text color="gray">Esc or ? to close</Text>
    </Box>
  );
}
