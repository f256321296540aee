import { readLlmConfig } from './config.js';
import { OfflineProvider } from './offline-provider.js';
import { OpenAiProvider } from './openai-provider.js';
import type { LlmProvider } from './provider.js';

export { DEFAULT_MODEL, type LlmConfig, readLlmConfig } from './config.js';
export { isLlmError, LlmError } from './errors.js';
export { type OfflineAnswerer, OfflineProvider } from './offline-provider.js';
export { OpenAiProvider, type OpenAiProviderOptions } from './openai-provider.js';
export type { CompletionRequest, LlmProvider } from './provider.js';

/** The configured model, or the offline provider when none is configured (or `offline` is asked for). */
export function providerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { offline?: boolean; fallback?: OfflineProvider } = {},
): LlmProvider {
  const fallback = options.fallback ?? new OfflineProvider();
  if (options.offline) return fallback;
  const config = readLlmConfig(env);
  return config ? new OpenAiProvider(config) : fallback;
}
