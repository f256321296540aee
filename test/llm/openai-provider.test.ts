import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readLlmConfig } from '../../src/engine/llm/config.js';
import { isLlmError } from '../../src/engine/llm/errors.js';
import { OfflineProvider } from '../../src/engine/llm/offline-provider.js';
import { OpenAiProvider } from '../../src/engine/llm/openai-provider.js';
import { type LlmTestServer, startLlmServer } from '../support/llm-server.js';

const schema = z.object({ answer: z.string(), count: z.number().int() });
const request = { system: 'sys', user: 'usr', schema, name: 'test_answer' };

describe('OpenAI-compatible provider against a loopback server', () => {
  let server: LlmTestServer;
  beforeAll(async () => {
    server = await startLlmServer();
  });
  afterAll(async () => {
    await server.close();
  });
  const provider = (timeoutMs = 5000) =>
    new OpenAiProvider({
      baseURL: server.baseURL,
      model: 'test-model',
      apiKey: 'k',
      timeoutMs,
      maxRetries: 2,
      backoffMs: 10,
    });

  async function failure(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
    try {
      await promise;
    } catch (error) {
      if (isLlmError(error)) return { reason: error.reason, message: error.message };
      throw error;
    }
    throw new Error('expected an LlmError');
  }

  it('returns a schema-checked answer and asks for JSON-schema output', async () => {
    server.script({ json: { answer: 'yes', count: 2 } });
    const before = server.requests.length;
    expect(await provider().complete(request)).toEqual({ answer: 'yes', count: 2 });
    const sent = server.requests[before] as {
      model: string;
      response_format: {
        type: string;
        json_schema: { name: string; strict: boolean; schema: { required: string[] } };
      };
      messages: Array<{ role: string }>;
    };
    expect(sent.model).toBe('test-model');
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.response_format.json_schema).toMatchObject({ name: 'test_answer', strict: true });
    expect(sent.response_format.json_schema.schema.required).toEqual(['answer', 'count']);
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('refuses malformed JSON with LLM_ERROR', async () => {
    server.script({ content: 'Sure! Here is the command: docker ps' });
    expect(await failure(provider().complete(request))).toMatchObject({ reason: 'invalid' });
  });

  it('refuses JSON of the wrong shape with LLM_ERROR naming the field', async () => {
    server.script({ json: { answer: 'yes', count: 'two' } });
    const { reason, message } = await failure(provider().complete(request));
    expect(reason).toBe('invalid');
    expect(message).toContain('count');
  });

  it('retries 429 and 5xx with back-off, then succeeds', async () => {
    server.script(
      { status: 429, retryAfterSeconds: 0 },
      { status: 503 },
      { json: { answer: 'ok', count: 1 } },
    );
    const before = server.requests.length;
    expect(await provider().complete(request)).toEqual({ answer: 'ok', count: 1 });
    expect(server.requests.length - before).toBe(3);
  });

  it('gives up after its retries with the last HTTP status', async () => {
    server.script({ status: 500 }, { status: 500 }, { status: 502 });
    const { reason, message } = await failure(provider().complete(request));
    expect(reason).toBe('http');
    expect(message).toContain('502');
  });

  it('does not retry a refused key', async () => {
    server.script({ status: 401 }, { json: { answer: 'never', count: 0 } });
    const before = server.requests.length;
    expect((await failure(provider().complete(request))).message).toContain('API key');
    expect(server.requests.length - before).toBe(1);
  });

  it('ends a hang at the timeout with LLM_ERROR', async () => {
    server.script({ hang: true });
    const { reason } = await failure(provider(400).complete(request));
    expect(reason).toBe('timeout');
  });

  it('reports an unreachable server', async () => {
    const dead = new OpenAiProvider({
      baseURL: 'http://127.0.0.1:1/v1',
      model: 'm',
      apiKey: 'k',
      timeoutMs: 2000,
      maxRetries: 0,
    });
    expect((await failure(dead.complete(request))).reason).toBe('unavailable');
  });
});

describe('configuration from the environment', () => {
  it.each([
    [{}, undefined],
    [
      { OPENAI_API_KEY: 'sk-x' },
      { baseURL: undefined, model: 'gpt-4o-mini', apiKey: 'sk-x', timeoutMs: 30000 },
    ],
    [
      { KITTEN_LLM_BASE_URL: 'http://localhost:11434/v1', KITTEN_LLM_MODEL: 'llama3.1' },
      { baseURL: 'http://localhost:11434/v1', model: 'llama3.1', apiKey: 'not-needed' },
    ],
    [
      { KITTEN_LLM_API_KEY: 'a', OPENAI_API_KEY: 'b', KITTEN_LLM_TIMEOUT: '5' },
      { apiKey: 'a', timeoutMs: 5000 },
    ],
  ])('%j → %j', (env, expected) => {
    const config = readLlmConfig(env as NodeJS.ProcessEnv);
    if (expected === undefined) expect(config).toBeUndefined();
    else expect(config).toMatchObject(expected);
  });

  it.each([
    { KITTEN_LLM_BASE_URL: 'not a url' },
    { KITTEN_LLM_BASE_URL: 'ftp://x/v1' },
    { OPENAI_API_KEY: 'k', KITTEN_LLM_TIMEOUT: 'soon' },
  ])('refuses %j as LLM_CONFIG', (env) => {
    expect(() => readLlmConfig(env as NodeJS.ProcessEnv)).toThrow(/KITTEN_LLM/);
  });
});

describe('offline provider', () => {
  it('answers registered tasks through the same schema check', async () => {
    const offline = new OfflineProvider({ test_answer: () => ({ answer: 'offline', count: 0 }) });
    expect(await offline.complete(request)).toEqual({ answer: 'offline', count: 0 });
    await expect(offline.complete({ ...request, name: 'unknown_task' })).rejects.toThrow(/no answer/);
    const wrong = new OfflineProvider({ test_answer: () => ({ answer: 1 }) });
    await expect(wrong.complete(request)).rejects.toThrow(/schema/);
  });
});
