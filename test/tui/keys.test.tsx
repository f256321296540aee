import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { FakeSession, podKind, podRows } from './support/fake-session.js';
import { waitFor } from './support/keys.js';

it('a chunk of keys typed faster than they are read is applied key by key', async () => {
  const session = new FakeSession({ kinds: [podKind], resources: { Pod: podRows(3) } });
  const app = render(<App session={session} size={{ columns: 120, rows: 24 }} initialTab="stack" />);
  await waitFor(app.lastFrame, (t) => t.includes('PROJECT'), 'stack tab');
  app.stdin.write(':pods\r');
  const text = await waitFor(app.lastFrame, (t) => t.includes('pod-00000'), 'pods tab');
  // Command mode closed after Enter: nothing of `:pods` is left on the input line.
  expect(text).not.toContain(':pods');
  expect(text).toContain('Pods: 3 rows');
  app.unmount();
});
