/**
 * The Stack tab's actions on one container: which key does what, the command a person confirms,
 * and the one status line that reports what became of it.
 */
import { firstLine } from '../../output/errors.js';
import type { Status } from '../components/status-line.js';
import type { CommandView, ContainerAction, RunOutcome } from '../session/port.js';

/** k9s restarts with `r`; stop and start follow lazydocker's `s` and `u` (up). */
export const containerActionKeys: Record<string, ContainerAction> = { r: 'restart', s: 'stop', u: 'start' };

const done: Record<ContainerAction, string> = { restart: 'restarted', stop: 'stopped', start: 'started' };

const what: Record<ContainerAction, string> = {
  restart: 'Stops and starts container',
  stop: 'Stops container',
  start: 'Starts container',
};

/**
 * What the executor runs for a docker container. Containers of the native runtime have no CLI the
 * executor may run, so for them the command is the `kitten` call that does the same (the session
 * makes that runtime call itself); `project` makes it one a person could paste.
 */
export function containerCommand(
  action: ContainerAction,
  name: string,
  runtime: string,
  project?: string,
): CommandView {
  if (runtime === 'docker') {
    return {
      tool: 'docker',
      argv: ['docker', action, name],
      risk: 'write',
      explanation: `${what[action]} ${name}.`,
      source: 'offline',
    };
  }
  return {
    tool: 'kitten',
    argv: ['kitten', action, name, ...(project ? ['-p', project] : []), '--runtime', runtime],
    risk: 'write',
    explanation: `${what[action]} ${name} through the ${runtime} runtime.`,
    source: 'offline',
  };
}

/** The outcome as one status line: what happened, or the one reason it did not. */
export function actionStatus(action: ContainerAction, name: string, outcome: RunOutcome): Status {
  switch (outcome.status) {
    case 'declined':
      return {
        tone: 'info',
        text: `${name} not ${done[action]}: ${outcome.reason && outcome.reason !== 'declined' ? outcome.reason : 'you declined'}`,
      };
    case 'refused':
      return { tone: 'error', text: `${action} ${name} refused by policy: ${outcome.reason}` };
    case 'ran': {
      const { exitCode, stderr, reason } = outcome.result;
      if (exitCode === 0) return { tone: 'ok', text: `${name} ${done[action]}` };
      const detail = firstLine(stderr) || reason || `exit ${exitCode}`;
      return { tone: 'error', text: `${action} ${name} failed: ${detail}` };
    }
  }
}
