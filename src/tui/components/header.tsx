import { Text } from 'ink';
import { truncate } from '../model/table-layout.js';
import type { HeaderView } from '../session/port.js';

export interface HeaderProps {
  header: HeaderView;
  critical: number;
  warning: number;
  width: number;
}

/** Where the person is looking and how bad it is, on exactly one line (never wraps). */
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
  const brand = 'kitten ';
  const room = Math.max(0, width - brand.length - counts.length - 2);
  const shown = truncate(facts, room).padEnd(room);
  return (
    <Text wrap="truncate">
      <Text bold color="cyan">
        {brand}
      </Text>
      {shown}
      {'  '}
      <Text color={critical > 0 ? 'red' : 'gray'} bold={critical > 0}>
        {critical} critical
      </Text>
      {'  '}
      <Text color={warning > 0 ? 'yellow' : 'gray'}>{warning} warning</Text>
    </Text>
  );
}
