import { RuntimeError, UsageError } from '../../errors.js';

/**
 * What the API server said, as one line a person can act on. The server's own Status message is
 * the best text there is (it names the verb, resource and namespace on 403, the field on 422), so
 * it is kept verbatim; Kitten adds which server, and a hint.
 */
export interface ApiCall {
  verb: string;
  /** `deployments.apps`, `pods`. */
  resource: string;
  name?: string;
  namespace?: string;
  server: string;
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string }[] };
}

function statusOf(error: unknown): { code: number; status: StatusBody | undefined } | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; body?: unknown; statusCode?: unknown };
  const code =
    typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (code === undefined) return undefined;
  let status: StatusBody | undefined;
  if (typeof e.body === 'string') {
    try {
      status = JSON.parse(e.body) as StatusBody;
    } catch {
      status = undefined;
    }
  } else if (e.body && typeof e.body === 'object') status = e.body as StatusBody;
  return { code, status };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function networkCause(error: unknown): string | undefined {
  let cursor: unknown = error;
  for (let depth = 0; cursor && depth < 5; depth++) {
    const code = (cursor as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  if (error instanceof Error && /fetch failed|ECONNREFUSED|socket hang up/.test(error.message))
    return 'fetch failed';
  return undefined;
}

function target(call: ApiCall): string {
  return `${call.resource}${call.name ? ` "${call.name}"` : ''}${call.namespace ? ` in namespace ${call.namespace}` : ''}`;
}

export function apiError(error: unknown, call: ApiCall): RuntimeError {
  if (error instanceof RuntimeError || error instanceof UsageError) return error;
  const net = networkCause(error);
  if (net) {
    return new RuntimeError(
      'KUBE_UNREACHABLE',
      `cannot reach the Kubernetes API server at ${call.server} (${net})`,
      {
        hint: 'check that the cluster is up and that --context / --kubeconfig point at it (`kubectl cluster-info`)',
        cause: error,
        details: { server: call.server },
      },
    );
  }
  const status = statusOf(error);
  if (!status) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return new RuntimeError('KUBE_FAILED', `could not ${call.verb} ${target(call)}: ${message}`, {
      hint: 'run again with KITTEN_DEBUG=1 for details',
      cause: error,
    });
  }
  const { code } = status;
  const message = status.status?.message ?? `HTTP ${code}`;
  const details = {
    server: call.server,
    verb: call.verb,
    resource: call.resource,
    status: code,
    ...(call.name ? { name: call.name } : {}),
    ...(call.namespace ? { namespace: call.namespace } : {}),
  };
  if (code === 401) {
    return new RuntimeError(
      'KUBE_UNAUTHORIZED',
      `the API server at ${call.server} rejected Kitten's credentials (401 Unauthorized)`,
      {
        hint: 'your token or certificate is wrong or expired: log in again and check the user in your kubeconfig',
        cause: error,
        details,
      },
    );
  }
  if (code === 403 && /exceeded quota/.test(message)) {
    return new RuntimeError('KUBE_QUOTA_EXCEEDED', message, {
      hint: `lower the stack's replicas or resources, or ask for more quota (\`kubectl -n ${call.namespace ?? 'NAMESPACE'} describe resourcequota\`)`,
      cause: error,
      details,
    });
  }
  if (code === 403 && /is being terminated/.test(message)) {
    return new RuntimeError('KUBE_NAMESPACE_TERMINATING', message, {
      hint: `namespace ${call.namespace ?? ''} is still being deleted (a recent \`kitten down\`?): wait until \`kubectl get namespace ${call.namespace ?? ''}\` finds nothing, then run again`,
      cause: error,
      details,
    });
  }
  if (code === 403) {
    return new RuntimeError('KUBE_FORBIDDEN', message, {
      hint: `you may not ${call.verb} ${call.resource} here: ask a cluster admin for a Role that allows it (\`kubectl auth can-i ${call.verb} ${call.resource}${call.namespace ? ` -n ${call.namespace}` : ''}\`)`,
      cause: error,
      details,
    });
  }
  if (code === 422) {
    return new RuntimeError('KUBE_INVALID', message, {
      hint: 'the API server rejected the object: check the stack field that produced it (`kitten up --dry-run -o yaml` shows the manifests)',
      cause: error,
      details: { ...details, causes: status.status?.details?.causes ?? [] },
    });
  }
  if (code === 409) {
    return new RuntimeError('KUBE_CONFLICT', message, {
      hint: 'another writer changed or owns this object; run again, or remove the other owner',
      cause: error,
      details,
    });
  }
  if (code === 404) {
    return new RuntimeError('KUBE_NOT_FOUND', message, {
      hint: call.namespace
        ? `check the namespace (-n ${call.namespace}) and the context`
        : 'check the context',
      cause: error,
      details,
    });
  }
  return new RuntimeError(
    'KUBE_SERVER_ERROR',
    `the API server failed to ${call.verb} ${target(call)}: ${message}`,
    {
      hint: 'this is the cluster failing, not the stack: try again, and check the API server health if it persists',
      cause: error,
      details,
    },
  );
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error)?.code === 404 || (error instanceof RuntimeError && error.code === 'KUBE_NOT_FOUND');
}
