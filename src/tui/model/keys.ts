/**
 * One list of key bindings: the `?` help overlay prints all of it, the footer shows the short
 * form for where the person is. Handlers live in the views; this is what they promise.
 */
export interface KeyHelp {
  keys: string;
  does: string;
}

export const helpSections: { title: string; keys: KeyHelp[] }[] = [
  {
    title: 'Move',
    keys: [
      { keys: '↑/↓  j/k', does: 'select the previous / next row' },
      { keys: 'g / G', does: 'first / last row' },
      { keys: 'PgUp / PgDn', does: 'one screen up / down' },
      { keys: '←/→  1–9', does: 'switch tab' },
    ],
  },
  {
    title: 'Look',
    keys: [
      { keys: '/', does: 'filter the table (fuzzy, live; Enter keeps it, Esc clears it)' },
      { keys: ':', does: 'command mode: :pods  :deploy  :ns shop  :ns all  :ctx NAME  :q' },
      { keys: 'Enter', does: 'details: the object as YAML (scroll with ↑/↓, PgUp/PgDn)' },
      { keys: 'l', does: 'logs of the selected pod or container (f follow, w wrap)' },
      { keys: 'c (logs)', does: "follow the pod's next container (sidecars such as istio-proxy)" },
    ],
  },
  {
    title: 'Act',
    keys: [
      { keys: 'p', does: 'remediation plan for the selected issue (fix it now)' },
      { keys: 'r', does: 'root-cause analysis for the selected issue (stop it coming back)' },
      { keys: 'a', does: 'ask: type an intent, see the command, y to run it' },
      { keys: 'Enter (plan)', does: 'run the selected command step, after confirmation' },
    ],
  },
  {
    title: 'Stack tab (the selected container)',
    keys: [
      { keys: 'r', does: 'restart it (asks y/N first)' },
      { keys: 's', does: 'stop it (asks y/N first)' },
      { keys: 'u', does: 'start it (asks y/N first)' },
      { keys: 'l', does: 'follow its logs' },
    ],
  },
  {
    title: 'General',
    keys: [
      { keys: 'Esc', does: 'back / close' },
      { keys: '?', does: 'this help' },
      { keys: 'q  Ctrl-C', does: 'quit' },
    ],
  },
];

export function footerKeys(role: 'issues' | 'stack' | 'resource', loggable: boolean): string {
  const parts = ['←/→ tab', '↑/↓ move', '/ filter', ': cmd', '↵ details'];
  if (loggable) parts.push('l logs');
  if (role === 'issues') parts.push('p plan', 'r rca');
  if (role === 'stack') parts.push('r restart', 's stop', 'u start');
  parts.push('a ask', '? help', 'q quit');
  return parts.join('  ');
}
