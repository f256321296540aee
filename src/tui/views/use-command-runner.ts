import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandView, Confirm, ConfirmRequest, RunOutcome, Session } from '../session/port.js';

export interface CommandRunner {
  /** The executor's pending question, for the view to draw a ConfirmPrompt. */
  pending: ConfirmRequest | null;
  answer: (answer: boolean | string) => void;
  running: boolean;
  outcome: RunOutcome | null;
  error: string | null;
  run: (command: CommandView, purpose: string) => void;
  /** Any engine call that asks through `confirm` (a Stack action), with the same prompt and outcome. */
  runWith: (job: (confirm: Confirm) => Promise<RunOutcome>) => void;
  reset: () => void;
}

/**
 * Bridges the executor's `confirm` callback to the screen: the engine asks, the view shows the
 * question, the person's answer resolves the engine's promise. The policy stays in the engine.
 */
export function useCommandRunner(session: Session, autoConfirmWrite = false): CommandRunner {
  const [pending, setPending] = useState<ConfirmRequest | null>(null);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resolver = useRef<((answer: boolean | string) => void) | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
      // Leaving the view is a no: never leave the engine waiting on a question nobody sees.
      resolver.current?.(false);
    },
    [],
  );

  const answer = useCallback((value: boolean | string) => {
    const resolve = resolver.current;
    resolver.current = null;
    setPending(null);
    resolve?.(value);
  }, []);

  const runWith = useCallback(
    (job: (confirm: Confirm) => Promise<RunOutcome>) => {
      setRunning(true);
      setOutcome(null);
      setError(null);
      job((request) => {
        // In the ask bar `y` already said yes to a write; a destructive one still needs the name.
        if (autoConfirmWrite && request.typeToConfirm === null) return Promise.resolve(true);
        return new Promise<boolean | string>((resolve) => {
          resolver.current = resolve;
          if (mounted.current) setPending(request);
        });
      })
        .then((result) => mounted.current && setOutcome(result))
        .catch((e: unknown) => mounted.current && setError(e instanceof Error ? e.message : String(e)))
        .finally(() => mounted.current && setRunning(false));
    },
    [autoConfirmWrite],
  );

  const run = useCallback(
    (command: CommandView, purpose: string) => runWith((confirm) => session.run(command, confirm, purpose)),
    [session, runWith],
  );

  const reset = useCallback(() => {
    setOutcome(null);
    setError(null);
  }, []);

  return { pending, answer, running, outcome, error, run, runWith, reset };
}
