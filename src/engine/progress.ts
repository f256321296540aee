/**
 * Progress is a stream of events; renderers (tty spinners, plain lines, json, quiet) draw them.
 * The engine only emits; it never decides how progress looks.
 */
export type ProgressStatus = 'working' | 'done' | 'warning' | 'error';

export interface ProgressEvent {
  /** What the event is about: `network:default`, `container:web-1`, `image:busybox:latest`. */
  resource: string;
  status: ProgressStatus;
  text: string;
  /** For long work with a measurable end (layer downloads). */
  current?: number;
  total?: number;
}

export type ProgressSink = (event: ProgressEvent) => void;

export const silentProgress: ProgressSink = () => {};
