import { LlmError } from './errors.js';

/**
 * Where the model is, from the environment: KITTEN_LLM_BASE_URL (any OpenAI-compatible server),
 * KITTEN_LLM_MODEL, KITTEN_LLM_API_KEY or OPENAI_API_KEY, KITTEN_LLM_TIMEOUT (seconds).
 * Nothing set means no remote model: the offline provider answers.
 */
export interface LlmConfig {
  baseURL: string | undefined;
  model: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
}

export const DEFAULT_MODEL = 'gpt-4o-mini';

export function readLlmConfig(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const baseURL = env.KITTEN_LLM_BASE_URL?.trim() || undefined;
  const apiKey = env.KITTEN_LLM_API_KEY?.trim() || env.OPENAI_API_KEY?.trim() || undefined;
  if (!baseURL && !apiKey) return undefined;
  if (baseURL) {
    let url: URL;
    try {
      url = new URL(baseURL);
    } catch {
      throw new LlmError(
        'config',
        `KITTEN_LLM_BASE_URL "${baseURL}" is not a URL`,
        "set it to the server's API root, e.g. http://localhost:11434/v1",
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new LlmError('config', `KITTEN_LLM_BASE_URL must be http(s), not ${url.protocol}`);
    }
  }
  const timeoutText = env.KITTEN_LLM_TIMEOUT?.trim();
  const timeoutSeconds = timeoutText ? Number(timeoutText) : 30;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new LlmError('config', `KITTEN_LLM_TIMEOUT "${timeoutText}" is not a number of seconds`);
  }
  return {
    baseURL,
    model: env.KITTEN_LLM_MODEL?.trim() || DEFAULT_MODEL,
    // Local servers (Ollama, llama.cpp, vLLM) accept any key; the client insists on one.
    apiKey: apiKey ?? 'not-needed',
    timeoutMs: Math.round(timeoutSeconds * 1000),
    maxRetries: 2,
  };
}
