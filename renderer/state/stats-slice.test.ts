// The stats slice against a scripted backend: what it asks `stats.get` for, what it keeps, and
// that a late answer to an older request does not overwrite a newer one.
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend';
import { createAppStore, type Store } from './store';

type Call = { verb: string; input: Record<string, unknown> };

function setup(answer: (c: Call) => Promise<unknown>) {
  const calls: Call[] = [];
  const backend = {
    shell: 'serve',
    connection: 'open',
    call: (verb: string, input: Record<string, unknown>) => {
      const c = { verb, input };
      calls.push(c);
      return answer(c);
    },
    openFile: () => Promise.reject(new Error('not here')),
    onConnection: () => () => {},
  } as unknown as Backend;
  const store = createAppStore(backend, { storage: null });
  store.setState({ capture: { info: { id: 'c1' }, phase: 'done' } } as unknown as Partial<Store>);
  return { store, calls };
}

describe('stats slice', () => {
  it('asks for one kind of the open capture, with the interval only for the I/O graph', async () => {
    const { store, calls } = setup(async (c) => ({
      capture: 'c1',
      complete: true,
      kind: c.input.kind,
      groups: [],
    }));
    await store.getState().loadStats('expert');
    store.getState().setStatsInterval(10_000);
    await Promise.resolve();
    store.getState().setStatsIoLines([
      { filter: '', unit: 'packets' },
      { filter: 'tcp', unit: 'bytes' },
    ]);
    await Promise.resolve();
    expect(calls.map((c) => c.input)).toEqual([
      { capture: 'c1', kind: 'expert' },
      { capture: 'c1', kind: 'io', interval: 10_000, lines: [{ filter: '', unit: 'packets' }] },
      {
        capture: 'c1',
        kind: 'io',
        interval: 10_000,
        lines: [
          { filter: '', unit: 'packets' },
          { filter: 'tcp', unit: 'bytes' },
        ],
      },
    ]);
    expect(store.getState().statsExpert).toMatchObject({ capture: 'c1', loading: false, error: null });
    expect(store.getState().statsExpert.result?.kind).toBe('expert');
  });

  it('asks for the chosen TCP stream, and for the busiest again in another capture', async () => {
    const { store, calls } = setup(async (c) => ({
      capture: (c.input as { capture: string }).capture,
      complete: true,
      kind: 'tcp-graph',
      stream: c.input.stream ?? 0,
      streams: [],
      ends: ['', ''],
      segments: [],
      truncated: false,
    }));
    await store.getState().loadStats('tcp-graph');
    store.getState().setStatsStream(3);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().statsTcpGraph.result?.stream).toBe(3);
    store.setState({ capture: { info: { id: 'c2' }, phase: 'done' } } as unknown as Partial<Store>);
    await store.getState().loadStats('tcp-graph');
    expect(calls.map((c) => c.input)).toEqual([
      { capture: 'c1', kind: 'tcp-graph' },
      { capture: 'c1', kind: 'tcp-graph', stream: 3 },
      { capture: 'c2', kind: 'tcp-graph' },
    ]);
    expect(store.getState().statsStream).toBeNull();
  });

  it('keeps the failure with the capture it was about', async () => {
    const { store } = setup(() =>
      Promise.reject(new Error('An interval of 1 ms cuts this capture into too many points')),
    );
    await store.getState().loadStats('io');
    expect(store.getState().statsIo).toEqual({
      capture: 'c1',
      result: null,
      loading: false,
      error: 'An interval of 1 ms cuts this capture into too many points',
    });
  });

  it('drops a late answer to an older request', async () => {
    const pending: ((v: unknown) => void)[] = [];
    const { store } = setup(() => new Promise((r) => pending.push(r)));
    const first = store.getState().loadStats('phs');
    const second = store.getState().loadStats('phs');
    pending[1]({ capture: 'c1', complete: true, kind: 'phs', frames: 2, bytes: 20, tree: [] });
    await second;
    pending[0]({ capture: 'c1', complete: false, kind: 'phs', frames: 1, bytes: 10, tree: [] });
    await first;
    expect(store.getState().statsPhs.result).toMatchObject({ frames: 2, complete: true });
  });
});
