// The playback clock and the diagram's fetch, with a recording backend and the clock ticked by
// hand (the animation-frame driver is replaced by one that never fires, so time is the test's).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/contract/api';
import type { Backend } from './backend';
import { SPEEDS } from './sequence-slice';
import { createAppStore, type AppStore } from './store';

(globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = () => 0;

interface Call {
  verb: string;
  input: unknown;
}

function fakeBackend(calls: Call[]): Backend {
  const call = (async (verb: string, input?: unknown) => {
    calls.push({ verb, input });
    if (verb === 'messages.list') return { capture: 'c1', conversations: [], messages: [], complete: true };
    if (verb === 'packets.detail') return null;
    if (verb === 'packets.position') return -1;
    throw new Error(`unexpected call ${verb}`);
  }) as ApiClient['call'];
  return {
    shell: 'serve',
    connection: 'open',
    call,
    on: () => () => undefined,
    openFile: async () => {
      throw new Error('no files here');
    },
    onConnection: () => () => undefined,
  };
}

describe('the playback clock', () => {
  let calls: Call[];
  let store: AppStore;
  beforeEach(() => {
    calls = [];
    store = createAppStore(fakeBackend(calls));
    store.setState({
      capture: { info: { id: 'c1', name: 'x.pcap', size: 1, origin: 'upload' } } as never,
      seqMessages: [],
    });
    const s = store.getState();
    s.setPlayCount(5);
    s.registerStepFrame((n) => 10 + n);
  });
  const st = () => store.getState();
  const selected = () =>
    calls.filter((c) => c.verb === 'packets.detail').map((c) => (c.input as { frame: number }).frame);

  it('advances one step a second at 1×, selecting each step’s packet as it starts', () => {
    st().play();
    expect(st().playing).toBe(true);
    st().tick(500);
    expect(st().playPosition).toBeCloseTo(0.5, 9);
    expect(selected()).toEqual([]);
    st().tick(1000);
    expect(st().playPosition).toBeCloseTo(1.5, 9);
    expect(selected()).toEqual([11]);
    st().pause();
    st().tick(1000);
    expect(st().playPosition).toBeCloseTo(1.5, 9);
  });

  it('stops at the end, or starts again with loop', () => {
    st().setSpeed(10);
    st().play();
    st().tick(1000);
    expect(st().playing).toBe(false);
    expect(st().playPosition).toBeCloseTo(4.999, 9);
    st().setLoop(true);
    st().play();
    expect(st().playPosition).toBe(0);
    st().tick(499);
    expect(st().playing).toBe(true);
    expect(st().playPosition).toBeGreaterThan(4.9);
    st().tick(2);
    expect(st().playing).toBe(true);
    expect(st().playPosition).toBe(0);
  });

  it('a step forward plays one arrow and stops there; a step back shows the previous one arrived', () => {
    st().stepForward();
    expect(st().playPosition).toBe(1);
    expect(st().playing).toBe(true);
    st().tick(700);
    expect(st().playing).toBe(true);
    st().tick(700);
    expect(st().playing).toBe(false);
    expect(st().playPosition).toBeCloseTo(1.999, 9);
    st().stepBack();
    expect(st().playPosition).toBeCloseTo(0.999, 9);
    st().stepLast();
    expect(st().playPosition).toBeCloseTo(4.999, 9);
    st().stepForward();
    expect(st().playPosition).toBeCloseTo(4.999, 9);
    st().stepFirst();
    expect(st().playPosition).toBe(0);
    expect(selected()).toEqual([11, 10, 14, 10]);
  });

  it('speeds run 0.1× to 10× through the steps a clicker’s +/− give', () => {
    for (let i = 0; i < 10; i++) st().faster();
    expect(st().playSpeed).toBe(10);
    for (let i = 0; i < 10; i++) st().slower();
    expect(st().playSpeed).toBe(0.1);
    expect(SPEEDS[0]).toBe(0.1);
    st().setSpeed(50);
    expect(st().playSpeed).toBe(10);
  });

  it('fetches the chosen conversations’ messages, both levels at once', async () => {
    await st().diagramStreams(['tcp:0', 'udp:1']);
    expect(calls).toContainEqual({
      verb: 'messages.list',
      input: { capture: 'c1', streams: ['tcp:0', 'udp:1'] },
    });
    expect(st().seqStreams).toEqual(['tcp:0', 'udp:1']);
    await st().toggleDiagramStream('tcp:0');
    expect(st().seqStreams).toEqual(['udp:1']);
  });
});
