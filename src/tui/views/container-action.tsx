import { Box } from 'ink';
import { useEffect, useRef } from 'react';
import { Spinner } from '../components/spinner.js';
import type { Status } from '../components/status-line.js';
import { actionStatus } from '../model/container-actions.js';
import type { ContainerAction, RowView, Session } from '../session/port.js';
import { ConfirmPrompt } from './confirm.js';
import { useCommandRunner } from './use-command-runner.js';

export interface ContainerActionProps {
  session: Session;
  action: ContainerAction;
  row: RowView;
  width: number;
  /** The outcome as the one line the status bar shows; the view closes with it. */
  onDone: (status: Status) => void;
}

/**
 * `r`/`s`/`u` on the Stack tab: the session asks through the executor's confirmation (y/N here),
 * runs nothing on a no, and the result lands in the status line.
 */
export function ContainerActionPrompt({ session, action, row, width, onDone }: ContainerActionProps) {
  const runner = useCommandRunner(session);
  const started = useRef(false);
  const { runWith, outcome, error } = runner;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    runWith((confirm) => session.containerAction(action, row, confirm));
  }, [runWith, session, action, row]);

  useEffect(() => {
    if (outcome) onDone(actionStatus(action, row.name, outcome));
    else if (error) onDone({ tone: 'error', text: `${action} ${row.name}: ${error}` });
  }, [outcome, error, onDone, action, row.name]);

  return (
    <Box flexDirection="column" width={width}>
      {runner.pending ? (
        <ConfirmPrompt request={runner.pending} onAnswer={runner.answer} width={width} />
      ) : (
        <Spinner label={`${action} ${row.name}…`} />
      )}
    </Box>
  );
}
