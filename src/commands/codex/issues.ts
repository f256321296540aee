import { Flags } from '@oclif/core';
import { KittenCommand } from '../../cli/kitten-command.js';
import { type CodexSessionOptions, openCodexSession, sessionIssues } from '../../engine/advisor/session.js';
import { countIssues } from '../../engine/cluster/analysis.js';
import { atLeast, type Issue, type Severity } from '../../engine/cluster/issue.js';
import { LiveSource } from '../../engine/cluster/live.js';
import { resolveKind } from '../../engine/cluster/registry.js';
import { UsageError } from '../../engine/errors.js';
import { toJson, toYaml } from '../../output/format.js';
import { style } from '../../output/style.js';
import { renderTable } from '../../output/table.js';

/** Where objects come from and who is looking: shared by every codex command. */
export const clusterFlags = {
  snapshot: Flags.string({
    description:
      'read a snapshot file (kubectl get -A -o yaml|json, or `codex snapshot`) instead of the live cluster',
    helpValue: 'FILE',
  }),
  kubeconfig: Flags.string({
    description: 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)',
    helpValue: 'FILE',
  }),
  context: Flags.string({ description: 'kube context to use (default: the current one)', helpValue: 'NAME' }),
  namespace: Flags.string({
    char: 'n',
    description: 'only this namespace',
    helpValue: 'NS',
    exclusive: ['all-namespaces'],
  }),
  'all-namespaces': Flags.boolean({
    char: 'A',
    description: 'every namespace you may see (the default)',
    default: false,
  }),
  as: Flags.string({ description: 'see as another user (access-policy admins only)', helpValue: 'USER' }),
  store: Flags.string({
    description: 'access policy store: file (default), file:PATH or configmap:NS/NAME',
    helpValue: 'STORE',
  }),
};

export interface ClusterFlagValues {
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  as?: string;
  store?: string;
}

export function sessionOptions(flags: ClusterFlagValues): CodexSessionOptions {
  const now = process.env.KITTEN_NOW ? new Date(process.env.KITTEN_NOW) : undefined;
  if (now && Number.isNaN(now.getTime())) {
    throw new UsageError('KITTEN_NOW_INVALID', `KITTEN_NOW "${process.env.KITTEN_NOW}" is not a time`, {
      hint: 'use an ISO time such as 2026-11-21T12:00:00Z, or unset it',
    });
  }
  return {
    ...(flags.snapshot ? { snapshot: flags.snapshot } : {}),
    ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.as ? { as: flags.as } : {}),
    ...(flags.store ? { store: flags.store } : {}),
    ...(now ? { now } : {}),
  };
}

const severityColour: Record<Severity, (t: string) => string> = {
  critical: style.red,
  warning: style.yellow,
};

export function renderIssues(issues: readonly Issue[], wide: boolean): string {
  if (issues.length === 0) return `${style.green('No issues found.')}\n`;
  return renderTable(
    issues,
    [
      { header: 'ID', get: (i) => i.id },
      { header: 'SEVERITY', get: (i) => i.severity, colour: (t, i) => severityColour[i.severity](t) },
      { header: 'NAMESPACE', get: (i) => i.namespace || '-' },
      { header: 'OBJECT', get: (i) => `${i.kind}/${i.name}` },
      { header: 'PARENT', wide: true, get: (i) => (i.parent ? `${i.parent.kind}/${i.parent.name}` : '') },
      { header: 'ANALYZER', wide: true, get: (i) => i.analyzer },
      { header: 'SOURCE', get: (i) => i.seenBy.join('+') },
      { header: 'ERROR', get: (i) => truncate(i.errors[0] ?? '', wide ? 400 : 90) },
    ],
    wide,
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface IssuesReport {
  source: { mode: 'snapshot' | 'live'; description: string };
  user: string;
  namespace: string | null;
  counts: { critical: number; warning: number };
  /** Kinds the cluster's RBAC would not list (live only): their problems cannot be seen. */
  forbidden: string[];
  issues: Issue[];
}

export default class CodexIssues extends KittenCommand {
  static override summary =
    'Cluster problems from Kitten’s analyzers and K8sGPT Results, within your granted namespaces';
  static override description =
    `Every issue has a stable id (usable by prefix in \`codex plan\`), kind, namespace, name, parent (a pod's Deployment or StatefulSet), analyzer, errors, severity (critical|warning) and source (builtin|k8sgpt; seenBy lists both when both found it). Without -n, every namespace you may see.

JSON (--json or -o json): {source: {mode, description}, user, namespace, counts: {critical, warning}, forbidden: [kinds RBAC would not list], issues: [{id, kind, namespace, name, parent?: {kind, name}, analyzer, errors[], severity, source, seenBy[], findings: [{mode, text, facts}], details?}]}.
Exit codes: 0, or 1 with --fail-on when an issue at or above that severity exists.`;
  static override examples = [
    '<%= config.bin %> codex issues --snapshot fixtures/clusters/broken-shop.yaml',
    '<%= config.bin %> codex issues -n shop --kind pods -o wide',
    '<%= config.bin %> codex issues --fail-on critical --json',
  ];
  static override flags = {
    ...clusterFlags,
    kind: Flags.string({
      description: 'only issues about this kind (pods, deploy, svc ...); repeatable',
      multiple: true,
      helpValue: 'KIND',
    }),
    output: Flags.string({ char: 'o', options: ['table', 'wide', 'json', 'yaml'], default: 'table' }),
    'fail-on': Flags.string({
      description: 'exit 1 when an issue at or above this severity exists',
      options: ['warning', 'critical'],
    }),
  };

  async run(): Promise<IssuesReport> {
    const { flags } = await this.parse(CodexIssues);
    const kinds = flags.kind?.flatMap((k) => k.split(',')).map((k) => resolveKind(k.trim()).kind);
    const session = await openCodexSession(sessionOptions(flags));
    const issues = sessionIssues(session, kinds ? { kinds } : {});
    const report: IssuesReport = {
      source: { mode: session.source.mode, description: session.source.description },
      user: session.access.identity.user,
      namespace: session.namespace ?? null,
      counts: countIssues(issues),
      forbidden: session.source instanceof LiveSource ? [...session.source.forbidden].sort() : [],
      issues,
    };
    const failOn = flags['fail-on'] as Severity | undefined;
    if (failOn && issues.some((i) => atLeast(i.severity, failOn))) this.failed = true;
    if (!this.jsonEnabled()) {
      if (flags.output === 'json') process.stdout.write(toJson(report));
      else if (flags.output === 'yaml') process.stdout.write(toYaml(report));
      else {
        process.stdout.write(renderIssues(issues, flags.output === 'wide'));
        if (report.forbidden.length > 0) {
          process.stderr.write(style.dim(`not allowed to list (RBAC): ${report.forbidden.join(', ')}\n`));
        }
        if (issues.length > 0) {
          process.stderr.write(
            style.dim(
              `${report.counts.critical} critical, ${report.counts.warning} warning — plan one with \`codex plan ID\`\n`,
            ),
          );
        }
      }
    }
    return report;
  }
}
