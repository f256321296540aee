import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { Spinner } from '../components/spinner.js';
import { useKeys } from '../components/use-keys.js';
import { truncate } from '../model/table-layout.js';
import { clamp, viewportFor } from '../model/viewport.js';
import type { IssueView, PlanMode, PlanStepView, PlanView, Session } from '../session/port.js';
import { displayArgv } from './command-summary.js';
import { ConfirmPrompt } from './confirm.js';
import { OutcomePane } from './outcome.js';
import { modeTitle } from './plan-context.js';
import { useCommandRunner } from './use-command-runner.js';

export interface PlanScreenProps {
  session: Session;
  issue: IssueView;
  mode: PlanMode;
  context: string;
  height: number;
  width: number;
  onClose: () => void;
}

type Load = { type: 'loading' } | { type: 'ready'; plan: PlanView } | { type: 'failed'; message: string };

interface Line {
  /** Position in the whole plan: a stable key while scrolling. */
  id: number;
  text: string;
  /** Index into `selectableSteps(plan)` for lines that belong to a step. */
  step?: number;
  colour?: string;
  bold?: boolean;
}

/** Every step a person can select, in screen order: the fix, then checks, then the way back. */
export function selectableSteps(plan: PlanView): PlanStepView[] {
  return [...plan.steps, ...plan.verification, ...plan.rollback];
}

/** The plan as lines: summary, numbered steps (commands or hand edits under them), checks, rollback. */
export function planLines(plan: PlanView): Line[] {
  const lines: Omit<Line, 'id'>[] = [{ text: plan.summary, bold: true }];
  if (plan.context) lines.push({ text: `your context: ${plan.context}`, colour: 'gray' });
  let index = 0;
  const section = (title: string, steps: PlanStepView[]) => {
    if (steps.length === 0) return;
    lines.push({ text: '' }, { text: title, bold: true });
    steps.forEach((step, i) => {
      const at = index++;
      lines.push({ text: `${i + 1}. ${step.title}  [${step.risk}]`, step: at });
      if (step.command) lines.push({ text: `     $ ${displayArgv(step.command)}`, step: at, colour: 'cyan' });
      if (step.edit) lines.push({ text: `     edit: ${step.edit}`, step: at, colour: 'magenta' });
      if (step.why) lines.push({ text: `     ${step.why}`, step: at, colour: 'gray' });
    });
  };
  section('Steps', plan.steps);
  section('Verify', plan.verification);
  section('Roll back', plan.rollback);
  if (plan.refused && plan.refused.length > 0) {
    lines.push({ text: '' }, { text: 'Refused by policy (not runnable)', bold: true, colour: 'red' });
    for (const r of plan.refused)
      lines.push({ text: `  ✖ ${r.title}: ${r.command.join(' ')} — ${r.reason}`, colour: 'red' });
  }
  lines.push({ text: '' }, { text: `source: ${plan.source}`, colour: 'gray' });
  return lines.map((line, id) => ({ ...line, id }));
}

/**
 * A plan made while a spinner turns, then shown step by step. `Enter` on a step with a command
 * hands it to the executor, whose confirmation rules ask here (y/N, or the name for destructive).
 */
export function PlanScreen({ session, issue, mode, context, height, width, onClose }: PlanScreenProps) {
  const [load, setLoad] = useState<Load>({ type: 'loading' });
  const [step, setStep] = useState(0);
  const [offset, setOffset] = useState(0);
  const runner = useCommandRunner(session);

  useEffect(() => {
    const controller = new AbortController();
    session
      .plan(issue, mode, context, controller.signal)
      .then((plan) => !controller.signal.aborted && setLoad({ type: 'ready', plan }))
      .catch(
        (e: unknown) =>
          !controller.signal.aborted &&
          setLoad({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
      );
    return () => controller.abort();
  }, [session, issue, mode, context]);

  const plan = load.type === 'ready' ? load.plan : null;
  const lines = useMemo(() => (plan ? planLines(plan) : []), [plan]);
  const showOutcome = runner.running || runner.outcome !== null || runner.error !== null;
  const outputHeight = showOutcome ? Math.min(10, Math.floor(height / 3)) : 0;
  const bodyHeight = Math.max(3, height - 4 - outputHeight);

  useKeys(
    (input, key) => {
      if (key.escape || input === 'q') {
        if (runner.outcome || runner.error) return runner.reset();
        return onClose();
      }
      if (!plan || runner.running) return;
      const count = selectableSteps(plan).length;
      if (key.downArrow || input === 'j') setStep((s) => clamp(s + 1, 0, count - 1));
      else if (key.upArrow || input === 'k') setStep((s) => clamp(s - 1, 0, count - 1));
      else if (input === 'g') setStep(0);
      else if (input === 'G') setStep(count - 1);
      else if (key.return) {
        const command = selectableSteps(plan)[step]?.command;
        if (command)
          runner.run(
            command,
            `${mode} plan for ${issue.kind} ${issue.namespace}/${issue.name}, step ${step + 1}`,
          );
      }
    },
    { isActive: runner.pending === null },
  );

  // Keep the selected step's first line on screen.
  const firstLine = Math.max(
    0,
    lines.findIndex((l) => l.step === step),
  );
  const lastLine = lines.findLastIndex((l) => l.step === step);
  const view = viewportFor(
    lines.length,
    lastLine >= 0 ? lastLine : firstLine,
    Math.min(offset, firstLine),
    bodyHeight,
  );
  if (view.offset !== offset) setOffset(view.offset);
  const selectedStep = plan ? selectableSteps(plan)[step] : undefined;

  return (
    <Box
      flexDirection="column"
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
      width={width}
      height={height}
    >
      <Text bold color="cyan" wrap="truncate">
        {modeTitle[mode]} · {issue.kind} {issue.namespace ? `${issue.namespace}/` : ''}
        {issue.name}
      </Text>
      {load.type === 'loading' ? (
        <Spinner
          label={`making the ${mode === 'rca' ? 'analysis' : 'plan'}${context ? ' (with your context)' : ''}…`}
        />
      ) : null}
      {load.type === 'failed' ? <Text color="red">✖ {load.message}</Text> : null}
      {plan ? (
        <Box flexDirection="column" height={bodyHeight}>
          {lines.slice(view.offset, view.end).map((line) => {
            const selected = line.step === step && line.step !== undefined;
            return (
              <Text
                key={line.id}
                color={selected ? undefined : line.colour}
                bold={line.bold}
                inverse={selected && line.id === firstLine}
                wrap="truncate"
              >
                {truncate(line.text, width - 4) || ' '}
              </Text>
            );
          })}
        </Box>
      ) : null}
      {runner.pending ? (
        <ConfirmPrompt request={runner.pending} onAnswer={runner.answer} width={width - 4} />
      ) : null}
      {runner.running && !runner.pending ? <Spinner label="running…" /> : null}
      {runner.error ? <Text color="red">✖ {runner.error}</Text> : null}
      {runner.outcome ? (
        <OutcomePane outcome={runner.outcome} height={outputHeight} width={width - 4} />
      ) : null}
      <Box flexGrow={1} />
      <Text color="gray" wrap="truncate">
        {plan
          ? `↑/↓ step · ${selectedStep?.command ? 'Enter run this step' : 'this step is a change by hand'} · Esc back`
          : 'Esc back'}
      </Text>
    </Box>
  );
}
