/**
 * The tab strip: Issues, Stack, then one tab per resource kind the registry (and access) offers.
 * One list drives the tab bar, `1`–`9`, `←/→` and `:` command mode alike.
 */
import type { ColumnView, RowView, SessionState } from '../session/port.js';
import { issueColumns, issueRows } from './issue-rows.js';
import { stackColumns, stackRows } from './stack-rows.js';

export interface Tab {
  id: string;
  title: string;
  aliases: string[];
  columns: ColumnView[];
  rows: RowView[];
  /** `issues` enables p/r; `stack` and loggable kinds enable l. */
  role: 'issues' | 'stack' | 'resource';
  loggable: boolean;
  /** Why the table is empty, when it is for a reason worth saying. */
  emptyText: string;
}

export const ISSUES_TAB = 'issues';
export const STACK_TAB = 'stack';

export function buildTabs(state: SessionState): Tab[] {
  const tabs: Tab[] = [
    {
      id: ISSUES_TAB,
      title: 'Issues',
      aliases: ['issues', 'issue', 'iss'],
      columns: issueColumns,
      rows: issueRows(state.issues),
      role: 'issues',
      loggable: false,
      emptyText:
        state.kinds.length === 0
          ? 'No cluster to analyse: pass --snapshot FILE, or a kubeconfig with --kubeconfig/--context.'
          : 'No issues found: every analyzer passed.',
    },
    {
      id: STACK_TAB,
      title: 'Stack',
      aliases: ['stack', 'ps', 'containers'],
      columns: stackColumns,
      rows: stackRows(state.stack),
      role: 'stack',
      loggable: true,
      emptyText: state.stackProblem ?? 'No local Kitten projects are running (start one with `kitten up`).',
    },
  ];
  for (const kind of state.kinds) {
    tabs.push({
      id: kind.kind,
      title: kind.title,
      aliases: kind.aliases.map((a) => a.toLowerCase()),
      columns: kind.columns,
      rows: state.resources[kind.kind] ?? [],
      role: 'resource',
      loggable: kind.loggable,
      emptyText: `No ${kind.title.toLowerCase()} ${state.header.namespace ? `in namespace ${state.header.namespace}` : 'visible'}.`,
    });
  }
  return tabs;
}
