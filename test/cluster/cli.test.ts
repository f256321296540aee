import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root, runCli as runBuilt } from '../support/cli.js';
import { fixturePath, NOW } from './fixtures.js';

const home = mkdtempSync(join(tmpdir(), 'kitten-codex-cli-'));
const env = {
  KITTEN_HOME: home,
  KITTEN_NOW: NOW.toISOString(),
  KITTEN_USER: 'alice',
  KUBECONFIG: join(home, 'none'),
  KITTEN_LLM_BASE_URL: '',
  KITTEN_LLM_API_KEY: '',
  OPENAI_API_KEY: '',
};
const shop = fixturePath('broken-shop.yaml');
// KITTEN_CLI_ROOT points at another build of the CLI (a private dist while others rebuild the shared one).
const bin = process.env.KITTEN_CLI_ROOT
  ? relative(join(root, 'bin'), join(process.env.KITTEN_CLI_ROOT, 'bin', 'kitten.js'))
  : 'kitten.js';
const runCli = (args: string[], options: { env: NodeJS.ProcessEnv }) => runBuilt(args, { ...options, bin });
const codex = (...args: string[]) => runCli(['codex', ...args], { env });

afterAll(() => rmSync(home, { recursive: true, force: true }));

interface IssuesJson {
  user: string;
  counts: { critical: number; warning: number };
  issues: { id: string; kind: string; namespace: string; name: string; severity: string }[];
}

describe('codex issues', () => {
  it('prints the table with ids, severity, object and first error', () => {
    const r = codex('issues', '--snapshot', shop, '-n', 'shop');
    expect(r.status).toBe(0);
    const [header, ...lines] = r.stdout.trim().split('\n');
    expect(header).toMatch(/^ID\s+SEVERITY\s+NAMESPACE\s+OBJECT\s+SOURCE\s+ERROR$/);
    expect(
      lines.some((l) =>
        /^[0-9a-f]{12}\s+critical\s+shop\s+Pod\/cart-\S+\s+builtin\+k8sgpt\s+container cart is in CrashLoopBackOff/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(r.stderr).toMatch(/\d+ critical, \d+ warning/);
  });

  it('--json has the documented shape and --fail-on critical exits 1', () => {
    const r = codex('issues', '--snapshot', shop, '--json', '--fail-on', 'critical');
    expect(r.status).toBe(1);
    const report = r.json() as IssuesJson;
    expect(report.user).toBe('alice');
    expect(report.counts.critical).toBeGreaterThan(0);
    expect(report.issues[0]).toEqual(
      expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f]{12}$/),
        kind: expect.any(String),
        severity: 'critical',
        source: 'builtin',
        analyzer: expect.any(String),
        errors: expect.any(Array),
        findings: expect.any(Array),
      }),
    );
  });

  it('--fail-on critical exits 0 on the healthy cluster; -o yaml parses', () => {
    const r = codex(
      'issues',
      '--snapshot',
      fixturePath('healthy.yaml'),
      '--fail-on',
      'warning',
      '-o',
      'yaml',
    );
    expect(r.status).toBe(0);
    expect((parse(r.stdout) as IssuesJson).issues).toEqual([]);
  });

  it('--kind takes kubectl names', () => {
    const report = codex('issues', '--snapshot', shop, '--kind', 'svc', '--json').json() as IssuesJson;
    expect(new Set(report.issues.map((i) => i.kind))).toEqual(new Set(['Service']));
  });

  it.each([
    [['issues', '--snapshot', '/nonexistent.yaml'], 2, /cannot read snapshot/],
    [['issues', '--snapshot', shop, '--kind', 'widgets'], 2, /unknown resource kind "widgets"/],
    [['issues', '--snapshot', shop, '--fail-on', 'sometimes'], 2, /Expected --fail-on=sometimes/],
    [['plan', 'ffffff', '--snapshot', shop], 2, /no issue with id ffffff/],
    [['plan', 'zz', '--snapshot', shop], 2, /not an issue id/],
    [['plan', '5f9157d21e55', '--snapshot', shop, '--apply', '1'], 2, /--apply runs against a live cluster/],
  ])('%j fails with exit %i and one line', (args, status, message) => {
    const r = codex(...args);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('codex plan and rca', () => {
  it('takes an id prefix and prints a plan with numbered steps and commands', () => {
    const id =
      (codex('issues', '--snapshot', shop, '--json').json() as IssuesJson).issues.find((i) =>
        i.name.startsWith('checkout-'),
      )?.id ?? '';
    const r = codex('plan', id.slice(0, 6), '--snapshot', shop);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Remediation plan for Pod shop/checkout-`);
    expect(r.stdout).toMatch(/2\. Roll Deployment checkout back to revision 1 .*\[write\]/);
    expect(r.stdout).toContain('$ kubectl rollout undo deployment/checkout --to-revision=1 -n shop');
  });

  it('--json is the plan, and rca asks for the long-term view', () => {
    const id =
      (codex('issues', '--snapshot', shop, '--json').json() as IssuesJson).issues.find((i) =>
        i.name.startsWith('recommendations-'),
      )?.id ?? '';
    const r = codex('rca', id, '--snapshot', shop, '--context', 'traffic doubled this week', '--json');
    expect(r.status).toBe(0);
    const { plan } = r.json() as {
      plan: { mode: string; source: string; context: string; steps: { title: string }[] };
    };
    expect(plan).toMatchObject({ mode: 'rca', source: 'offline', context: 'traffic doubled this week' });
    expect(plan.steps[0]?.title).toMatch(/^Reproduce/);
  });
});

describe('codex resources', () => {
  it('prints kubectl columns, NAMESPACE across namespaces', () => {
    const r = codex('resources', 'pods', '--snapshot', shop);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(r.stdout).toMatch(/shop\s+search-index-0\s+0\/1\s+Pending\s+0\s+120m/);
  });

  it('-o json is a kind: List of the objects', () => {
    const list = codex('resources', 'svc', '--snapshot', shop, '-n', 'payments', '-o', 'json').json() as {
      kind: string;
      items: { kind: string; metadata: { namespace: string } }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.kind === 'Service' && i.metadata.namespace === 'payments')).toBe(true);
  });
});

describe('codex snapshot', () => {
  it('re-records a snapshot with secret values emptied and keys kept', () => {
    const r = codex('snapshot', '--snapshot', shop, '-n', 'shop');
    expect(r.status).toBe(0);
    const list = parse(r.stdout) as {
      kind: string;
      items: {
        kind: string;
        metadata: { name: string; namespace?: string };
        data?: Record<string, string>;
      }[];
    };
    expect(list.kind).toBe('List');
    const secret = list.items.find((i) => i.kind === 'Secret' && i.metadata.name === 'orders-db');
    expect(secret?.data).toEqual({ DB_USER: '' });
    expect(list.items.some((i) => i.metadata.namespace === 'payments')).toBe(false);
    expect(list.items.some((i) => i.kind === 'Result')).toBe(true);
  });
});

describe('codex admin and access', () => {
  it('grant, show, see as bob, revoke', () => {
    const grant = codex('admin', 'grant', 'bob', '--namespace', 'shop', '--kinds', 'pods,deploy');
    expect(grant.status).toBe(0);
    expect(grant.stderr).toContain('alice is now an admin');
    const show = codex('admin', 'show', '--json').json() as {
      mode: string;
      admins: string[];
      grants: unknown[];
    };
    expect(show).toMatchObject({
      mode: 'policy',
      admins: ['alice'],
      grants: [{ subject: 'bob', namespace: 'shop', kinds: ['Deployment', 'Pod'], write: false }],
    });

    const asBob = codex('issues', '--snapshot', shop, '--as', 'bob', '--json').json() as IssuesJson;
    expect(asBob.user).toBe('bob');
    expect(asBob.issues.length).toBeGreaterThan(0);
    expect(
      asBob.issues.every((i) => i.namespace === 'shop' && (i.kind === 'Pod' || i.kind === 'Deployment')),
    ).toBe(true);
    const denied = codex('issues', '--snapshot', shop, '--as', 'bob', '-n', 'payments');
    expect(denied.status).toBe(3);
    expect(denied.stderr).toContain('bob has no access to namespace payments');

    const notAdmin = runCli(['codex', 'issues', '--snapshot', shop, '--as', 'alice'], {
      env: { ...env, KITTEN_USER: 'bob' },
    });
    expect(notAdmin.status).toBe(3);
    expect(notAdmin.stderr).toContain('only an admin');
    const bobGrants = runCli(['codex', 'admin', 'grant', 'bob', '--namespace', 'payments'], {
      env: { ...env, KITTEN_USER: 'bob' },
    });
    expect(bobGrants.status).toBe(3);

    expect(codex('admin', 'revoke', 'bob').status).toBe(0);
    const none = codex('issues', '--snapshot', shop, '--as', 'bob', '--json').json() as IssuesJson;
    expect(none.issues).toEqual([]);
  });
});
