import { Text } from 'ink';
import { truncate } from '../model/table-layout.js';

export type StatusTone = 'error' | 'info' | 'ok';

export interface Status {
  tone: StatusTone;
  text: string;
}

const colours: Record<StatusTone, string> = { error: 'red', info: 'cyan', ok: 'green' };
const marks: Record<StatusTone, string> = { error: '✖', info: 'ℹ', ok: '✔' };

/** The one place errors appear: a line, never a crash. */
export function StatusLine({ status, width }: { status: Status | null; width: number }) {
  if (!status) return <Text> </Text>;
  return (
    <Text color={colours[status.tone]} wrap="truncate">
      {truncate(`${marks[status.tone]} ${status.text}`, width)}
    </Text>
  );
}

export function Footer({ text, width }: { text: string; width: number }) {
  return (
    <Text color="gray" wrap="truncate">
      {truncate(text, width)}
    </Text>
  );
}
