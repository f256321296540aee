import { Box, Text } from 'ink';
import { truncate } from '../model/table-layout.js';
import type { HeaderView } from '../session/port.js';

export interface HeaderProps {
  header: HeaderView;
  critical: number;
  warning: number;
  width: number;
}

/** One line that says where the person is looking and how bad it is. */
export function Header({ header, critical, warning, width }: HeaderProps) {
  const target = `${header.target.type === 'snapshot' ? 'snapshot' : 'context'} ${header.target.name}`;
  const facts = [
    target,
    `ns ${header.namespace ?? 'all'}`,
    `user ${header.user}`,
    `runtime ${header.runtime}`,
    `llm ${header.llm}`,
  ].join('  │  ');
  const counts = `${critical} critical  ${warning} warning`;
  const room = Math.max(0, width - counts.length - 10);
  return (
    <Box width={width}>
      <Text bold color="cyan">
        kitten{' '}
      </Text>
      <Box flexGrow={1}>
        <Text wrap="truncate">{truncate(facts, room)}</Text>
      </Box>
      <Text> </Text>
      <Text color={critical > 0 ? 'red' : 'gray'} bold={critical > 0}>
        {critical} critical
      </Text>
      <Text> </Text>
      <Text color={warning > 0 ? 'yellow' : 'gray'}>{warning} warning</Text>
    </Box>
  );
}
