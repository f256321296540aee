import type { Service } from '../../cluster/objects.js';
import type { Knowledge } from './context.js';
import { fact } from './context.js';

const noMatchingPods: Knowledge = (ctx) => {
  const name = ctx.issue.name;
  const selector = fact(ctx.finding, 'selector');
  const deploy = ctx.snapshot?.get('Deployment', ctx.issue.namespace, name);
  const labels = deploy
    ? JSON.stringify(
        (deploy.spec as { template?: { metadata?: { labels?: object } } })?.template?.metadata?.labels ?? {},
      )
    : '';
  return {
    summary: `Service ${ctx.issue.namespace}/${name} selects ${selector} but no pod carries those labels, so it has no endpoints.`,
    remediation: [
      {
        title: `List pods in ${ctx.issue.namespace} with their labels`,
        command: ctx.k.podsWithLabels(),
        why: `compare them with the selector ${selector}`,
      },
      {
        title: `Describe Service ${name}`,
        command: ctx.k.describe('Service', name),
        why: 'Endpoints: <none> confirms nothing matches',
      },
      deploy
        ? {
            title: `Align the selector with Deployment ${name}'s pod labels ${labels}`,
            why: 'the Deployment of the same name labels its pods differently',
            edit: `Service ${name}: spec.selector to match ${labels}`,
          }
        : {
            title: `Deploy the workload behind ${name}, or remove the Service`,
            why: `nothing in ${ctx.issue.namespace} runs pods labelled ${selector}: it was removed or never deployed`,
            edit: `deploy the app labelled ${selector}, or: kubectl delete service ${name} -n ${ctx.issue.namespace}`,
          },
    ],
    verification: [
      {
        title: `Check Service ${name} has endpoints`,
        command: ctx.k.get('Endpoints', name),
        why: 'ENDPOINTS lists pod addresses once the selector matches ready pods',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Generate selectors and labels from one place',
        why: 'in a Helm chart both should come from the same selectorLabels helper so they cannot drift',
      },
      {
        title: 'Remove Services when their workload goes',
        why: 'ship them in the same release so `helm uninstall` or a removal takes both',
      },
    ],
  };
};

const noReadyEndpoints: Knowledge = (ctx) => {
  const name = ctx.issue.name;
  const pods = fact(ctx.finding, 'notReadyPods').split(',').filter(Boolean);
  return {
    summary: `Service ${ctx.issue.namespace}/${name} has pods (${pods.join(', ')}) but none is ready, so requests to it fail.`,
    remediation: [
      {
        title: `See the endpoints of ${name}`,
        command: ctx.k.get('Endpoints', name, '-o', 'wide'),
        why: 'no ready addresses: the traffic has nowhere to go',
      },
      ...(pods[0]
        ? [
            {
              title: `Describe pod ${pods[0]}`,
              command: ctx.k.describe('Pod', pods[0]),
              why: 'its state says why it is not ready; fixing the pods fixes the Service',
            },
          ]
        : []),
    ],
    verification: [
      {
        title: `Check ${name} has ready endpoints`,
        command: ctx.k.get('Endpoints', name),
        why: 'addresses appear as soon as a pod is Ready',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Alert on Services without ready endpoints',
        why: 'a blackbox probe on the Service (or kube_endpoint_address_available == 0) catches it before users do',
      },
    ],
  };
};

const backendMissing: Knowledge = (ctx) => {
  const service = fact(ctx.finding, 'service');
  const existing = (ctx.snapshot?.ofKind<Service>('Service', ctx.issue.namespace) ?? []).map(
    (s) => s.metadata.name,
  );
  const close = existing.find((s) => s.includes(service.split('-')[0] ?? service) || service.includes(s));
  return {
    summary: `Ingress ${ctx.issue.namespace}/${ctx.issue.name} routes to Service ${service}, which does not exist: those paths answer 503.`,
    remediation: [
      {
        title: `List Services in ${ctx.issue.namespace}`,
        command: ctx.k.get('Service'),
        why: `find the Service that should serve it${close ? ` (${close} looks close)` : ''}`,
      },
      {
        title: `Point the Ingress at an existing Service${close ? ` such as ${close}` : ''}, or deploy ${service}`,
        why: 'the controller has no endpoints to send the traffic to',
        edit: `Ingress ${ctx.issue.name}: spec.rules[].http.paths[].backend.service.name: ${close ?? '<existing service>'}`,
      },
    ],
    verification: [
      {
        title: `Describe Ingress ${ctx.issue.name}`,
        command: ctx.k.describe('Ingress', ctx.issue.name),
        why: 'Backends list endpoints instead of <error: endpoints not found>',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Release the Ingress with its Service',
        why: 'templating both in one chart (or validating backends in CI) keeps routes from pointing at nothing',
      },
    ],
  };
};

const classMissing: Knowledge = (ctx) => {
  const cls = fact(ctx.finding, 'ingressClass');
  return {
    summary: `Ingress ${ctx.issue.namespace}/${ctx.issue.name} ${cls ? `uses ingress class ${cls}, which does not exist` : 'names no ingress class and there is no default'}: no controller serves it.`,
    remediation: [
      {
        title: 'List the ingress classes the cluster has',
        command: ['kubectl', 'get', 'ingressclass'],
        why: `pick the one your controller owns${fact(ctx.finding, 'available') ? ` (${fact(ctx.finding, 'available')})` : ''}`,
      },
      {
        title: 'Set the ingress class',
        why: 'an Ingress without a matching class is ignored by every controller',
        edit: `Ingress ${ctx.issue.name}: spec.ingressClassName: <class>`,
      },
    ],
    verification: [
      {
        title: `Check Ingress ${ctx.issue.name} gets an address`,
        command: ctx.k.get('Ingress', ctx.issue.name),
        why: 'ADDRESS is filled in once a controller admits it',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Mark one class as the default',
        why: 'annotate the main IngressClass with ingressclass.kubernetes.io/is-default-class=true, and set ingressClassName in chart values',
      },
    ],
  };
};

const tlsMissing: Knowledge = (ctx) => {
  const secret = fact(ctx.finding, 'secret');
  return {
    summary: `Ingress ${ctx.issue.namespace}/${ctx.issue.name} terminates TLS with Secret ${secret}, which does not exist: ${fact(ctx.finding, 'hosts') || 'its hosts'} get the controller's default certificate.`,
    remediation: [
      {
        title: `Describe Ingress ${ctx.issue.name}`,
        command: ctx.k.describe('Ingress', ctx.issue.name),
        why: 'the TLS section names the missing Secret',
      },
      {
        title: `Create TLS Secret ${secret}`,
        why: 'the controller reloads as soon as it appears',
        edit: `kubectl create secret tls ${secret} -n ${ctx.issue.namespace} --cert=<cert.pem> --key=<key.pem>, or a cert-manager Certificate with secretName: ${secret}`,
      },
    ],
    verification: [
      {
        title: `Check Secret ${secret} exists`,
        command: ctx.k.get('Secret', secret),
        why: 'TYPE kubernetes.io/tls with DATA 2',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Issue certificates automatically',
        why: 'cert-manager with the cert-manager.io/cluster-issuer annotation creates and renews the Secret with the Ingress',
      },
    ],
  };
};

const netpolNoPods: Knowledge = (ctx) => {
  const selector = fact(ctx.finding, 'selector');
  return {
    summary: `NetworkPolicy ${ctx.issue.namespace}/${ctx.issue.name} selects ${selector}, which matches no pod: it protects nothing.`,
    remediation: [
      {
        title: `List pods in ${ctx.issue.namespace} with labels`,
        command: ctx.k.podsWithLabels(),
        why: `check whether the pods it was meant for carry other labels than ${selector}`,
      },
      {
        title: 'Fix the selector, or delete the stale policy',
        why: 'a policy for a removed app is harmless but misleading; one with a typo leaves the intended pods open',
        edit: `NetworkPolicy ${ctx.issue.name}: spec.podSelector`,
      },
    ],
    verification: [
      {
        title: `Describe NetworkPolicy ${ctx.issue.name}`,
        command: ctx.k.describe('NetworkPolicy', ctx.issue.name),
        why: 'confirm the selector now names live pods',
      },
    ],
    rollback: [],
    rca: [
      {
        title: 'Ship policies with their apps',
        why: 'template the policy in the app’s chart from the same labels, so it follows renames and removals',
      },
    ],
  };
};

export const networkKnowledge = {
  ServiceNoMatchingPods: noMatchingPods,
  ServiceNoReadyEndpoints: noReadyEndpoints,
  IngressBackendMissing: backendMissing,
  IngressClassMissing: classMissing,
  IngressTlsSecretMissing: tlsMissing,
  NetworkPolicySelectsNoPods: netpolNoPods,
} satisfies Record<string, Knowledge>;
