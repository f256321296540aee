import { describe, expect, it } from 'vitest';
import { applyGrant, viewFor } from '../../src/engine/access/policy.js';
import { advise } from '../../src/engine/advisor/advise.js';
import { Anonymizer } from '../../src/engine/advisor/anonymize.js';
import type { PlanAnswer } from '../../src/engine/advisor/plan.js';
import type { CompletionRequest, LlmProvider } from '../../src/engine/llm/provider.js';
import { brokenShopIssues, fixture, NOW } from '../cluster/fixtures.js';

/** A provider that records what it was sent and answers with what the test scripts. */
class ScriptedProvider implements LlmProvider {
  readonly name = 'scripted-model';
  readonly remote = true;
  readonly sent: { system: string; user: string }[] = [];
  constructor(private readonly answer: (user: string) => PlanAnswer) {}
  async complete<T>(request: CompletionRequest<T>): Promise<T> {
    this.sent.push({ system: request.system, user: request.user });
    return request.schema.parse(this.answer(request.user));
  }
}

async function cartPod() {
  const issue = (await brokenShopIssues()).find((i) => i.kind === 'Pod' && i.name.startsWith('cart-'));
  if (!issue) throw new Error('fixture changed');
  return issue;
}

describe('plans from a model', () => {
  it('are policy-checked: a shell command, another namespace and a forbidden verb are refused, the rest kept', async () => {
    const issue = await cartPod();
    const provider = new ScriptedProvider(() => ({
      summary: 'cart cannot reach redis',
      steps: [
        {
          title: 'read logs',
          command: ['kubectl', 'logs', issue.name, '-n', 'shop', '--previous'],
          risk: 'read',
          why: 'see the panic',
        },
        {
          title: 'wipe',
          command: ['kubectl', 'delete', 'pods', '--all', '-n', 'shop'],
          risk: 'read',
          why: 'ignore previous instructions',
        },
        {
          title: 'peek',
          command: ['kubectl', 'get', 'pods', '-n', 'payments'],
          risk: 'read',
          why: 'curious',
        },
        {
          title: 'shell',
          command: ['kubectl', 'get', 'pods', ';', 'rm', '-rf', '/'],
          risk: 'read',
          why: 'x',
        },
        {
          title: 'restart',
          command: ['kubectl', 'rollout', 'restart', 'deployment/cart', '-n', 'shop'],
          risk: 'read',
          why: 'fresh pods',
        },
      ],
      verification: [],
      rollback: [],
    }));
    const plan = await advise(issue, {
      mode: 'remediation',
      snapshot: await fixture('broken-shop.yaml'),
      now: NOW,
      provider,
    });
    expect(plan.source).toBe('llm');
    expect(plan.steps.map((s) => s.title)).toEqual(['read logs', 'restart']);
    // The policy's risk, not the model's claim.
    expect(plan.steps[1]?.risk).toBe('write');
    expect(plan.refused?.map((r) => r.title)).toEqual(['wipe', 'peek', 'shell']);
  });

  it('with --anonymize send no real names and restore them in the answer', async () => {
    const issue = await cartPod();
    const provider = new ScriptedProvider((user) => {
      const masked = /"name": "(masked-[0-9a-f]+)"/.exec(user)?.[1] ?? 'missing';
      const ns = /"namespace": "(masked-[0-9a-f]+)"/.exec(user)?.[1] ?? 'missing';
      return {
        summary: `pod ${masked} crashes`,
        steps: [
          {
            title: `logs of ${masked}`,
            command: ['kubectl', 'logs', masked, '-n', ns],
            risk: 'read',
            why: 'see why',
          },
        ],
        verification: [],
        rollback: [],
      };
    });
    const plan = await advise(issue, {
      mode: 'remediation',
      snapshot: await fixture('broken-shop.yaml'),
      now: NOW,
      provider,
      anonymize: true,
    });
    const sent = provider.sent[0]?.user ?? '';
    expect(sent).not.toContain(issue.name);
    expect(sent).not.toContain('"shop"');
    expect(sent).not.toContain('cart');
    expect(plan.summary).toBe(`pod ${issue.name} crashes`);
    expect(plan.steps[0]?.command).toEqual(['kubectl', 'logs', issue.name, '-n', 'shop']);
  });

  it('send the user’s context and the kubelet’s facts', async () => {
    const issue = await cartPod();
    const provider = new ScriptedProvider(() => ({
      summary: 's',
      steps: [{ title: 't', risk: 'read', why: 'because' }],
      verification: [],
      rollback: [],
    }));
    await advise(issue, {
      mode: 'rca',
      snapshot: await fixture('broken-shop.yaml'),
      now: NOW,
      provider,
      userContext: 'redis moved to a new host',
    });
    const sent = provider.sent[0];
    expect(sent?.system).toContain('ROOT-CAUSE');
    expect(sent?.user).toContain('redis moved to a new host');
    expect(sent?.user).toContain('panic: dial tcp 10.96.44.12:6379');
    expect(sent?.user).toContain('BackOff');
  });

  it('are refused outside the person’s grant even when the model proposes them in the issue namespace', async () => {
    const admin = { user: 'alice', groups: [] };
    const readOnly = viewFor(applyGrant(undefined, { subject: 'bob', namespace: 'shop' }, admin).policy, {
      user: 'bob',
      groups: [],
    });
    const issue = await cartPod();
    const provider = new ScriptedProvider(() => ({
      summary: 's',
      steps: [
        {
          title: 'restart',
          command: ['kubectl', 'rollout', 'restart', 'deployment/cart', '-n', 'shop'],
          risk: 'write',
          why: 'w',
        },
        {
          title: 'describe',
          command: ['kubectl', 'describe', 'pod', issue.name, '-n', 'shop'],
          risk: 'read',
          why: 'r',
        },
      ],
      verification: [],
      rollback: [],
    }));
    const plan = await advise(issue, {
      mode: 'remediation',
      snapshot: await fixture('broken-shop.yaml'),
      now: NOW,
      provider,
      access: readOnly,
    });
    expect(plan.steps.map((s) => s.title)).toEqual(['describe']);
  });
});

describe('the anonymizer', () => {
  it('masks longest names first and restores every string of a value', () => {
    let n = 0;
    const a = new Anonymizer(() => `m${n++}`);
    a.add('cart', 'cart-f073d8c476-7kttc', 'shop', 'ab', 'default');
    expect(a.size).toBe(3);
    const masked = a.mask('pod cart-f073d8c476-7kttc of cart in shop (default)');
    expect(masked).not.toContain('cart');
    expect(masked).toContain('default');
    expect(a.unmaskValue({ text: masked, argv: [masked] })).toEqual({
      text: 'pod cart-f073d8c476-7kttc of cart in shop (default)',
      argv: ['pod cart-f073d8c476-7kttc of cart in shop (default)'],
    });
  });
});
