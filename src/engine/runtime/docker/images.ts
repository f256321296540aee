import { RuntimeError, UsageError } from '../../errors.js';
import type { ProgressSink } from '../../progress.js';
import { isNotFound, translateDockerError } from './docker-errors.js';
import type { DockerEndpoint } from './endpoint.js';
import type { EngineClient } from './engine-client.js';
import { imageResource, type PullMessage, pullEvent, withDefaultTag } from './pull-progress.js';

export type PullPolicy = 'always' | 'missing' | 'never';

export const PULL_POLICIES: readonly PullPolicy[] = ['always', 'missing', 'never'];

/**
 * Makes sure an image is on the engine per the pull policy. One pull per image per runtime:
 * replicas and services sharing an image wait on the same pull instead of starting their own.
 */
export class ImagePuller {
  private readonly pulls = new Map<string, Promise<void>>();

  constructor(
    private readonly docker: () => Promise<EngineClient>,
    private readonly endpoint: DockerEndpoint,
    private readonly policy: PullPolicy,
    private readonly progress: ProgressSink,
  ) {}

  ensure(image: string): Promise<void> {
    if (image.startsWith('/') || image.startsWith('.') || image.startsWith('~')) {
      return Promise.reject(
        new UsageError(
          'IMAGE_IS_A_PATH',
          `image "${image}" is a rootfs path; the docker runtime needs an image reference`,
          {
            hint: 'use an image name like busybox:latest with --runtime docker, or run this stack with --runtime native',
          },
        ),
      );
    }
    const ref = withDefaultTag(image);
    let pending = this.pulls.get(ref);
    if (!pending) {
      pending = this.ensureOnce(ref);
      this.pulls.set(ref, pending);
      // A failed pull may be retried by a later call (e.g. after `docker login`).
      pending.catch(() => this.pulls.delete(ref));
    }
    return pending;
  }

  private async ensureOnce(ref: string): Promise<void> {
    const docker = await this.docker();
    if (this.policy !== 'always') {
      const present = await this.isPresent(docker, ref);
      if (present) return;
      if (this.policy === 'never') {
        throw new RuntimeError(
          'IMAGE_NOT_PRESENT',
          `image ${ref} is not on the engine at ${this.endpoint.url} and --pull is never`,
          {
            hint: 'pull it first (`docker pull`), or run with --pull missing',
          },
        );
      }
    }
    await this.pull(docker, ref);
  }

  private async isPresent(docker: EngineClient, ref: string): Promise<boolean> {
    try {
      await docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw translateDockerError(error, { endpoint: this.endpoint, action: `inspect image ${ref}` });
    }
  }

  private async pull(docker: EngineClient, ref: string): Promise<void> {
    const context = { endpoint: this.endpoint, action: `pull ${ref}`, image: ref };
    this.progress({ resource: imageResource(ref), status: 'working', text: 'pulling' });
    let stream: NodeJS.ReadableStream;
    try {
      stream = await docker.pull(ref);
    } catch (error) {
      const failure = translateDockerError(error, context);
      this.progress({ resource: imageResource(ref), status: 'error', text: failure.message });
      throw failure;
    }
    // The engine reports a failed pull inside the 200 stream ({"error": ...}); docker-modem's
    // followProgress passes that on as an ordinary message, so it is caught here.
    let streamError: string | null = null;
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null) => {
          const message = error?.message ?? streamError;
          if (message) {
            const failure = translateDockerError({ message }, context);
            this.progress({ resource: imageResource(ref), status: 'error', text: failure.message });
            reject(failure);
            return;
          }
          this.progress({ resource: imageResource(ref), status: 'done', text: 'pulled' });
          resolve();
        },
        (raw: unknown) => {
          const message = raw as PullMessage;
          if (message.error) {
            streamError = message.errorDetail?.message ?? message.error;
            return;
          }
          const event = pullEvent(ref, message);
          // The image's own "done" is sent once the stream has ended, so it is never sent twice.
          const imageDone = event?.resource === imageResource(ref) && event.status === 'done';
          if (event && !imageDone) this.progress(event);
        },
      );
    });
  }
}
