import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { FakeSession, podKind, podRows } from './support/fake-session.js';
import { waitFor } from './support/keys.js';

/** A terminal that can be resized: Ink reads columns/rows and listens for `resize`. */
class Terminal extends EventEmitter {
  columns = 120;
  rows = 30;
  isTTY = true;
  last = '';
  write(frame: string): boolean {
    this.last = frame;
    return true;
  }
}

class Keyboard extends EventEmitter {
  isTTY = true;
  setRawMode() {}
  setEncoding() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

it('redraws to the new size when the terminal is resized, never taller than the screen', async () => {
  const stdout = new Terminal();
  const session = new FakeSession({ kinds: [podKind], resources: { Pod: podRows(200) } });
  const app = render(<App session={session} initialTab="Pod" />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new Keyboard() as unknown as NodeJS.ReadStream,
    debug: true,
    patchConsole: false,
  });
  const visibleRows = (text: string) => text.split('\n').filter((l) => /pod-\d{5}/.test(l)).length;
  let text = await waitFor(
    () => stdout.last,
    (t) => t.includes('pod-00000'),
    'first frame',
  );
  expect(visibleRows(text)).toBe(30 - 1 - 4 - 1);
  stdout.rows = 20;
  stdout.columns = 80;
  stdout.emit('resize');
  text = await waitFor(
    () => stdout.last,
    (t) => visibleRows(t) === 20 - 1 - 4 - 1,
    'smaller frame',
  );
  expect(text.split('\n').every((line) => line.replace(/\u001b\[[0-9;]*m/g, '').length <= 80)).toBe(true);
  app.unmount();
});
