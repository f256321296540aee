import { LlmError } from './errors.js';
import type { CompletionRequest, LlmProvider } from './provider.js';

/**
 * The deterministic stand-in for a model: each task registers an answerer under its schema
 * name (Kitten's built-in knowledge), and answers pass the same schema check as a model's.
 */
export type OfflineAnswerer = (request: { system: string; user: string }) => unknown;

export class OfflineProvider implements LlmProvider {
  readonly name = 'offline';
  readonly remote = false;
  private readonly answerers = new Map<string, OfflineAnswerer>();

  constructor(answerers: Record<string, OfflineAnswerer> = {}) {
    for (const [name, answer] of Object.entries(answerers)) this.answerers.set(name, answer);
  }

  register(name: string, answer: OfflineAnswerer): this {
    this.answerers.set(name, answer);
    return this;
  }

  async complete<T>(request: CompletionRequest<T>): Promise<T> {
    const answer = this.answerers.get(request.name);
    if (!answer) {
      throw new LlmError(
        'unavailable',
        `the offline engine has no answer for "${request.name}"`,
        'configure a model with KITTEN_LLM_BASE_URL / KITTEN_LLM_API_KEY',
      );
    }
    const result = request.schema.safeParse(answer({ system: request.system, user: request.user }));
    if (!result.success)
      throw new LlmError('invalid', `the offline answer for ${request.name} does not fit its schema`);
    return result.data;
  }
}
