import { Text } from 'ink';
import { truncate } from '../model/table-layout.js';

/** A one-line text field as drawn: prompt, value, block cursor. Editing is `editLine`'s job. */
export function LineInput({
  prompt,
  value,
  width,
  placeholder,
}: {
  prompt: string;
  value: string;
  width: number;
  placeholder?: string;
}) {
  const room = Math.max(1, width - prompt.length - 1);
  const shown = value.length > room ? value.slice(value.length - room) : value;
  return (
    <Text wrap="truncate">
      <Text color="cyan" bold>
        {prompt}
      </Text>
      {shown}
      <Text inverse> </Text>
      {!value && placeholder ? <Text color="gray">{truncate(` ${placeholder}`, room)}</Text> : null}
    </Text>
  );
}
