import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/output/progress.js';
import { renderTable } from '../../src/output/table.js';

function capture(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 120 });
  let out = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return { stream, text: () => out };
}

describe('progress renderers draw the same events differently', () => {
  const events = [
    { resource: 'network:default', status: 'working', text: 'creating' },
    { resource: 'network:default', status: 'done', text: 'created' },
    { resource: 'container:shop-web-1', status: 'error', text: 'port 8080 already allocated' },
  ] as const;

  it('plain: one line per change, for CI logs', () => {
    const { stream, text } = capture(false);
    const r = createProgress('auto', stream);
    for (const e of events) r.sink(e);
    r.stop();
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/container:shop-web-1\s+port 8080 already allocated/);
  });

  it('json: one event per line with a timestamp', () => {
    const { stream, text } = capture(false);
    const r = createProgress('json', stream);
    for (const e of events) r.sink(e);
    const parsed = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(parsed.map((p) => p.status)).toEqual(['working', 'done', 'error']);
    expect(parsed[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('quiet: nothing at all', () => {
    const { stream, text } = capture(true);
    const r = createProgress('quiet', stream);
    for (const e of events) r.sink(e);
    r.stop();
    expect(text()).toBe('');
  });

  it('tty: one live line per resource, redrawn in place', () => {
    const { stream, text } = capture(true);
    const r = createProgress('auto', stream);
    for (const e of events) r.sink(e);
    r.stop();
    const out = text();
    expect(out).toContain('network:default');
    expect(out).toContain('created');
    expect(out.match(/container:shop-web-1/g)).toHaveLength(1);
  });
});

describe('tables', () => {
  const rows = [
    { name: 'shop-web-1', state: 'running', pid: 4242 },
    { name: 'shop-db-1', state: 'exited (1)', pid: null },
  ];
  const columns = [
    { header: 'name', get: (r: (typeof rows)[number]) => r.name },
    { header: 'state', get: (r: (typeof rows)[number]) => r.state },
    { header: 'pid', get: (r: (typeof rows)[number]) => r.pid, wide: true },
  ];

  it('aligns columns under upper-case headers, kubectl style', () => {
    expect(renderTable(rows, columns)).toBe(
      'NAME         STATE\nshop-web-1   running\nshop-db-1    exited (1)\n',
    );
  });

  it('shows wide-only columns with -o wide', () => {
    expect(renderTable(rows, columns, true).split('\n')[1]).toBe('shop-web-1   running      4242');
  });
});
