import OpenAI from 'openai';
import * as z from 'zod';
import type { LlmConfig } from './config.js';
import { LlmError } from './errors.js';
import type { CompletionRequest, LlmProvider } from './provider.js';

/**
 * Any OpenAI-compatible chat-completions server, asked for JSON that follows the caller's
 * schema (response_format json_schema), then checked against the same schema here: a server
 * that ignores response_format still cannot hand back an unchecked answer.
 */
export interface OpenAiProviderOptions extends LlmConfig {
  /** Base back-off before the first retry; doubles each time (Retry-After wins when sent). */
  backoffMs?: number;
  fetch?: typeof fetch;
}

const RETRYABLE = new Set([408, 409, 429, 500, 502, 503, 504]);

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** OpenAI's strict mode needs every property required and no extras, at every level. */
function strictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(strictCompatible);
  if (!node || typeof node !== 'object') return true;
  const obj = node as Record<string, unknown>;
  if (obj.type === 'object' && obj.properties) {
    const keys = Object.keys(obj.properties as object);
    const required = new Set((obj.required as string[] | undefined) ?? []);
    if (!keys.every((k) => required.has(k)) || obj.additionalProperties !== false) return false;
  }
  return Object.values(obj).every(strictCompatible);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OpenAiProvider implements LlmProvider {
  readonly remote = true;
  readonly name: string;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.name = options.model;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      // Retries are ours, so that every attempt shares one deadline and one error vocabulary.
      maxRetries: 0,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async complete<T>(request: CompletionRequest<T>): Promise<T> {
    const schema = jsonSchemaOf(request.schema);
    const body = {
      model: this.options.model,
      temperature: 0,
      messages: [
        { role: 'system' as const, content: request.system },
        { role: 'user' as const, content: request.user },
      ],
      response_format: {
        type: 'json_schema' as const,
        json_schema: {
          name: request.name.replace(/[^A-Za-z0-9_-]/g, '_'),
          schema,
          strict: strictCompatible(schema),
        },
      },
    };
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const attempts = this.options.maxRetries + 1;
    let lastError: LlmError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      try {
        const response = await this.client.chat.completions.create(body, { timeout: remaining });
        const content = response.choices[0]?.message?.content;
        return this.validate(content, request);
      } catch (error) {
        if (error instanceof LlmError) throw error;
        const described = this.describe(error, timeoutMs);
        lastError = described.error;
        if (!described.retry || attempt === attempts) break;
        const wait = described.retryAfterMs ?? (this.options.backoffMs ?? 500) * 2 ** (attempt - 1);
        if (Date.now() + wait >= deadline) break;
        if (wait > 0) await sleep(wait);
      }
    }
    throw (
      lastError ??
      new LlmError('timeout', `${this.name} gave no answer within ${Math.round(timeoutMs / 1000)}s`)
    );
  }

  private validate<T>(content: string | null | undefined, request: CompletionRequest<T>): T {
    if (!content) throw new LlmError('invalid', `${this.name} returned an empty answer`);
    let parsed: unknown;
    try {
      // Some servers wrap JSON in a fenced block even when asked not to.
      parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
    } catch {
      throw new LlmError(
        'invalid',
        `${this.name} did not answer with JSON (got "${content.slice(0, 60).replace(/\s+/g, ' ')}")`,
      );
    }
    const result = request.schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new LlmError(
        'invalid',
        `${this.name}'s answer does not fit ${request.name}: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}`,
      );
    }
    return result.data;
  }

  private describe(
    error: unknown,
    timeoutMs: number,
  ): { error: LlmError; retry: boolean; retryAfterMs?: number } {
    if (error instanceof OpenAI.APIConnectionTimeoutError) {
      return {
        error: new LlmError(
          'timeout',
          `${this.name} gave no answer within ${Math.round(timeoutMs / 1000)}s`,
          'raise KITTEN_LLM_TIMEOUT, or pass --fallback to use the built-in translator when the model is slow',
        ),
        retry: false,
      };
    }
    if (error instanceof OpenAI.APIConnectionError) {
      const where = this.options.baseURL ?? 'api.openai.com';
      return { error: new LlmError('unavailable', `cannot reach the model server at ${where}`), retry: true };
    }
    if (error instanceof OpenAI.APIError) {
      const status = error.status ?? 0;
      const retryAfterHeader = error.headers?.get?.('retry-after');
      const retryAfter = retryAfterHeader ? Number(retryAfterHeader) : Number.NaN;
      const message =
        status === 401 || status === 403
          ? `the model server refused the API key (HTTP ${status})`
          : status === 404
            ? `the model server has no model "${this.name}" (HTTP 404)`
            : `the model server answered HTTP ${status}${error.message ? `: ${error.message.slice(0, 120)}` : ''}`;
      return {
        error: new LlmError(
          'http',
          message,
          status === 401 || status === 403
            ? 'set KITTEN_LLM_API_KEY (or OPENAI_API_KEY) to a valid key'
            : undefined,
        ),
        retry: RETRYABLE.has(status),
        ...(Number.isFinite(retryAfter) && retryAfter >= 0
          ? { retryAfterMs: Math.min(retryAfter * 1000, 10_000) }
          : {}),
      };
    }
    return {
      error: new LlmError(
        'unavailable',
        `the model call failed: ${(error as Error)?.message ?? String(error)}`,
      ),
      retry: false,
    };
  }
}
