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

describe('following a live capture', () => {
  interface Pending {
    input: { capture: string; streams: string[]; after?: number };
    resolve: (v: unknown) => void;
  }
  let pending: Pending[];
  let calls: Call[];
  let store: AppStore;
  const st = () => store.getState();
  const live = (packets: number, phase: 'indexing' | 'done' = 'indexing') =>
    ({
      info: {
        id: 'L',
        name: 'Loopback: lo',
        size: 1,
        origin: 'live',
        live: { mode: 'tap', iface: 'tap', filter: '' },
      },
      phase,
      progress: { bytes: packets * 100, total: 0, packets },
      loadMs: null,
      summary: null,
      error: null,
      live: { running: phase === 'indexing', problem: null },
    }) as never;
  const msg = (frame: number) => ({ id: `${frame}:transport:0`, frame, stream: 'tcp:0' });
  const answer = (k: number, frames: number[], streams = ['tcp:0']) =>
    pending[k].resolve({
      capture: 'L',
      messages: frames.map(msg),
      conversations: streams.map((stream) => ({ stream })),
      complete: false,
    });
  const flush = () => new Promise((r) => setTimeout(r, 0));

  beforeEach(() => {
    pending = [];
    calls = [];
    const backend = fakeBackend(calls);
    const call = backend.call;
    backend.call = ((verb: string, input?: unknown) => {
      if (verb !== 'messages.list')
        return (call as (v: string, i?: unknown) => Promise<unknown>)(verb, input);
      calls.push({ verb, input });
      return new Promise<unknown>((resolve) => pending.push({ input: input as Pending['input'], resolve }));
    }) as ApiClient['call'];
    store = createAppStore(backend);
    store.setState({ capture: live(3) });
  });

  it('draws every conversation and fetches again as packets arrive: one request in flight, one more after', async () => {
    const done = st().followLive('L', true);
    expect(st().seqAll).toBe(true);
    // Live: only the level shown is fetched.
    expect(pending.map((p) => p.input)).toEqual([{ capture: 'L', streams: [], level: 'application' }]);
    // A burst of progress events while the first request runs: no request queued per event.
    for (let n = 4; n < 40; n++) store.setState({ capture: live(n) });
    expect(pending.length).toBe(1);
    answer(0, [1, 2, 3]);
    await flush();
    // Exactly one more, right after — asking only for messages after the newest frame on hand.
    expect(pending.length).toBe(2);
    expect(pending[1].input).toEqual({ capture: 'L', streams: [], level: 'application', after: 3 });
    answer(1, [4, 5], ['tcp:0', 'udp:0']);
    await done;
    expect(st().seqMessages?.map((m) => m.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(st().seqConversations.map((c) => c.stream)).toEqual(['tcp:0', 'udp:0']);
    expect(pending.length).toBe(2);
    // The pass ends: one last fetch for the complete list; none once it is over.
    store.setState({ capture: live(40, 'done') });
    expect(pending.length).toBe(3);
    answer(2, [1, 2, 3, 4, 5, 6]);
    await flush();
    store.setState({ capture: { ...(live(41, 'done') as object), phase: 'done' } as never });
    expect(pending.length).toBe(3);
  });

  it('a capture that is not live is not fetched again on progress', async () => {
    store.setState({
      capture: {
        ...(live(3) as object),
        info: { id: 'L', name: 'f.pcap', size: 1, origin: 'upload' },
      } as never,
    });
    const done = st().diagramStreams(['tcp:0']);
    answer(0, [1]);
    await done;
    store.setState({
      capture: {
        ...(live(9) as object),
        info: { id: 'L', name: 'f.pcap', size: 1, origin: 'upload' },
      } as never,
    });
    expect(pending.length).toBe(1);
  });

  it('the playhead follows the newest arrows (each animated) until the user pauses; then jump to live', () => {
    st().followLive('L', true);
    store.setState({ seqMessages: [] });
    st().registerStepFrame((n) => 100 + n);
    st().setPlayCount(10);
    // Many at once: the last CATCH_UP animate, starting at the first of them.
    expect(st().playing).toBe(true);
    expect(st().playPosition).toBe(7);
    st().tick(1000);
    st().tick(1000);
    st().tick(1000);
    // Each step's packet was selected as its arrow started (the list and details follow live).
    const selected = calls
      .filter((c) => c.verb === 'packets.detail')
      .map((c) => (c.input as { frame: number }).frame);
    expect(selected).toEqual([107, 108, 109]);
    expect(st().playing).toBe(false);
    expect(st().playPosition).toBeCloseTo(9.999, 9);
    st().setPlayCount(11);
    expect(st().playing).toBe(true);
    expect(st().playPosition).toBe(10);
    st().tick(300);
    expect(st().playPosition).toBeCloseTo(10.3, 9);
    // The user pauses: new arrows no longer move the playhead.
    st().pause();
    expect(st().seqAtLive).toBe(false);
    st().setPlayCount(15);
    expect(st().playing).toBe(false);
    expect(st().playPosition).toBeCloseTo(10.3, 9);
    st().jumpToLive();
    expect(st().seqAtLive).toBe(true);
    expect(st().playPosition).toBe(14);
    expect(st().playing).toBe(true);
    // Scrubbing back leaves live too; scrubbing to the end rejoins it.
    st().seek(3.999);
    expect(st().seqAtLive).toBe(false);
    st().seek(14.999);
    expect(st().seqAtLive).toBe(true);
  });

  it('a capture that stopped being live: new rows do not start playback', () => {
    store.setState({ capture: live(3, 'done') });
    st().followLive('L', true);
    st().setPlayCount(10);
    expect(st().playing).toBe(false);
  });

  it('off keeps the conversations drawn so far as the chosen ones', async () => {
    const on = st().followLive('L', true);
    answer(0, [1, 2], ['tcp:0', 'udp:3']);
    await on;
    const off = st().followLive('L', false);
    expect(st().seqAll).toBe(false);
    expect(st().seqStreams).toEqual(['tcp:0', 'udp:3']);
    expect(pending.at(-1)!.input).toEqual({ capture: 'L', streams: ['tcp:0', 'udp:3'] });
    answer(pending.length - 1, [1, 2]);
    await off;
    // Chosen conversations come with both levels: switching level needs no request.
    const n = pending.length;
    st().setDiagramLevel('transport');
    expect(pending.length).toBe(n);
  });

  it('live refreshes fetch the level shown; switching level then fetches again', async () => {
    const on = st().followLive('L', true);
    answer(0, [1]);
    await on;
    st().setDiagramLevel('transport');
    expect(pending.at(-1)!.input).toEqual({ capture: 'L', streams: [], level: 'transport' });
    answer(1, [1]);
    await flush();
    st().setDiagramLevel('both');
    expect(pending.at(-1)!.input).toEqual({ capture: 'L', streams: [] });
  });
});
