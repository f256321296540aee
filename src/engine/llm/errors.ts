import { KittenError } from '../errors.js';

/** Anything that kept a model from giving a valid answer: unreachable, refused, slow, or wrong. */
export class LlmError extends KittenError {
  readonly reason: 'config' | 'http' | 'timeout' | 'invalid' | 'unavailable';
  constructor(reason: LlmError['reason'], message: string, hint?: string) {
    super(reason === 'config' ? 'LLM_CONFIG' : 'LLM_ERROR', message, {
      hint:
        hint ??
        'check KITTEN_LLM_BASE_URL / KITTEN_LLM_MODEL, or pass --offline (or --fallback) to use the built-in translator',
    });
    this.reason = reason;
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}
