import type * as z from 'zod';

/**
 * One interface for every language model Kitten talks to. A caller describes the answer it
 * wants as a zod schema; the provider returns a value that has passed that schema, or throws
 * an LlmError. Callers never see raw model text.
 */
export interface CompletionRequest<T> {
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /** Names the answer's shape (sent as the JSON schema name; the offline provider's key). */
  name: string;
  /** Overrides the provider's own timeout for this call. */
  timeoutMs?: number;
}

export interface LlmProvider {
  /** "offline", or the model name for a remote provider. */
  readonly name: string;
  readonly remote: boolean;
  complete<T>(request: CompletionRequest<T>): Promise<T>;
}
