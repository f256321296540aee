import { Box, Text } from 'ink';
import { LineInput } from '../components/line-input.js';
import { useKeys } from '../components/use-keys.js';
import { useLine } from '../components/use-line.js';
import { truncate } from '../model/table-layout.js';
import type { IssueView, PlanMode } from '../session/port.js';

export const modeTitle: Record<PlanMode, string> = {
  remediation: 'Remediation plan (fix it now)',
  rca: 'Root-cause analysis (stop it coming back)',
};

export interface PlanContextDialogProps {
  issue: IssueView;
  mode: PlanMode;
  width: number;
  onSubmit: (context: string) => void;
  onCancel: () => void;
}

/** Before a plan is made: what the analyzers found, and a field for what only the person knows. */
export function PlanContextDialog({ issue, mode, width, onSubmit, onCancel }: PlanContextDialogProps) {
  const context = useLine();
  useKeys((input, key) => {
    if (key.escape) return onCancel();
    if (key.return) return onSubmit(context.current().trim());
    context.edit(input, key);
  });
  const inner = width - 4;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold color="cyan">
        {modeTitle[mode]}
      </Text>
      <Text wrap="truncate">
        <Text color={issue.severity === 'critical' ? 'red' : 'yellow'}>{issue.severity}</Text> {issue.kind}{' '}
        {issue.namespace ? `${issue.namespace}/` : ''}
        {issue.name}{' '}
        <Text color="gray">
          ({issue.analyzer}, {issue.source})
        </Text>
      </Text>
      {issue.errors.slice(0, 4).map((error) => (
        <Text key={error} color="gray" wrap="truncate">
          {truncate(`• ${error}`, inner)}
        </Text>
      ))}
      <Text> </Text>
      <Text>Add context the analyzers cannot see (a recent deploy, a known outage), or leave it empty:</Text>
      <LineInput
        prompt="context> "
        value={context.value}
        width={inner}
        placeholder="e.g. we rotated the db password an hour ago"
      />
      <Text color="gray">Enter make the plan · Esc cancel</Text>
    </Box>
  );
}
