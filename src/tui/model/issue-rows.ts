/** The Issues tab's rows: severity first, then kind and name, as `kitten codex issues` prints them. */
import type { ColumnView, IssueView, RowView, Severity, Tone } from '../session/port.js';

export const issueColumns: ColumnView[] = [
  { header: 'SEVERITY' },
  { header: 'KIND' },
  { header: 'NAMESPACE/NAME' },
  { header: 'ANALYZER', wide: true },
  { header: 'SOURCE' },
  { header: 'ERROR' },
];

const severityRank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
const severityTone: Record<Severity, Tone> = { critical: 'critical', warning: 'warning', info: 'muted' };

export function sortIssues(issues: readonly IssueView[]): IssueView[] {
  return [...issues].sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      a.namespace.localeCompare(b.namespace) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name),
  );
}

export function issueRows(issues: readonly IssueView[]): RowView[] {
  return sortIssues(issues).map((issue) => ({
    key: issue.id,
    namespace: issue.namespace,
    name: issue.name,
    tone: severityTone[issue.severity],
    cells: [
      issue.severity,
      issue.kind,
      issue.namespace ? `${issue.namespace}/${issue.name}` : issue.name,
      issue.analyzer,
      issue.source,
      issue.errors[0] ?? '',
    ],
  }));
}

export function issueCounts(issues: readonly IssueView[]): { critical: number; warning: number } {
  let critical = 0;
  let warning = 0;
  for (const issue of issues) {
    if (issue.severity === 'critical') critical++;
    else if (issue.severity === 'warning') warning++;
  }
  return { critical, warning };
}
