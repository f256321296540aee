import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { LineInput } from '../components/line-input.js';
import { Spinner } from '../components/spinner.js';
import { useKeys } from '../components/use-keys.js';
import { useLine } from '../components/use-line.js';
import type { CommandView, Session } from '../session/port.js';
import { CommandSummary } from './command-summary.js';
import { ConfirmPrompt } from './confirm.js';
import { OutcomePane } from './outcome.js';
import { useCommandRunner } from './use-command-runner.js';

export interface AskViewProps {
  session: Session;
  onClose: () => void;
  height: number;
  width: number;
  /** What the selected row suggests (`restart deployment checkout in shop`), as a placeholder. */
  hint?: string;
}

type Phase =
  | { type: 'typing' }
  | { type: 'thinking' }
  | { type: 'proposed'; command: CommandView }
  | { type: 'failed'; message: string };

/**
 * The `a` ask bar: an intent in, one proposed command out with its risk and why; `y` runs it
 * through the executor (a destructive command still asks for the name), anything else runs nothing.
 */
export function AskView({ session, onClose, height, width, hint }: AskViewProps) {
  const intent = useLine();
  const [phase, setPhase] = useState<Phase>({ type: 'typing' });
  const runner = useCommandRunner(session, true);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  useKeys(
    (input, key) => {
      if (phase.type === 'typing') {
        if (key.escape) return onClose();
        if (key.return) {
          const text = intent.current().trim();
          if (!text) return;
          const controller = new AbortController();
          abort.current = controller;
          setPhase({ type: 'thinking' });
          session
            .translate(text, controller.signal)
            .then((command) => !controller.signal.aborted && setPhase({ type: 'proposed', command }))
            .catch(
              (e: unknown) =>
                !controller.signal.aborted &&
                setPhase({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
            );
          return;
        }
        intent.edit(input, key);
        return;
      }
      if (phase.type === 'thinking') {
        if (key.escape) {
          abort.current?.abort();
          setPhase({ type: 'typing' });
        }
        return;
      }
      if (phase.type === 'failed') {
        if (key.escape || key.return) setPhase({ type: 'typing' });
        return;
      }
      // proposed
      if (runner.running) return;
      if (runner.outcome || runner.error) {
        if (key.escape) onClose();
        else if (key.return || input === 'a') {
          runner.reset();
          setPhase({ type: 'typing' });
        }
        return;
      }
      if (input === 'y' || input === 'Y') return runner.run(phase.command, intent.current().trim());
      // "No" is final for this request: back to the intent, nothing run.
      runner.reset();
      setPhase({ type: 'typing' });
    },
    { isActive: runner.pending === null },
  );

  const paneHeight = Math.max(3, height - 6);
  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
      width={width}
      height={height}
    >
      <Text bold color="cyan">
        Ask
      </Text>
      <LineInput
        prompt="ask> "
        value={intent.value}
        width={width - 4}
        placeholder={phase.type === 'typing' ? (hint ?? 'e.g. restart deployment checkout in shop') : ''}
      />
      {phase.type === 'thinking' ? <Spinner label="translating…" /> : null}
      {phase.type === 'failed' ? <Text color="red">✖ {phase.message} (Enter to edit)</Text> : null}
      {phase.type === 'proposed' ? (
        <Box flexDirection="column">
          <CommandSummary command={phase.command} width={width - 4} />
          {runner.pending ? (
            <ConfirmPrompt request={runner.pending} onAnswer={runner.answer} width={width - 4} />
          ) : runner.running ? (
            <Spinner label="running…" />
          ) : runner.error ? (
            <Text color="red">✖ {runner.error}</Text>
          ) : runner.outcome ? (
            <OutcomePane outcome={runner.outcome} height={paneHeight} width={width - 4} />
          ) : (
            <Text>
              <Text bold>y</Text> run it · any other key: don't
            </Text>
          )}
        </Box>
      ) : null}
      <Box flexGrow={1} />
      <Text color="gray">
        {phase.type === 'typing'
          ? 'Enter propose · Esc close'
          : runner.outcome || runner.error
            ? 'Enter ask again · Esc close'
            : 'Esc back'}
      </Text>
    </Box>
  );
}
