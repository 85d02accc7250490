// The live slice against a scripted backend: each verb answers what a test says, each event is
// emitted by the test, so the slice's own behaviour (ordering of lab events, notices, the export
// read in pieces, commands) is what is checked.
import { describe, expect, it } from 'vitest';
import {
  ApiCallError,
  MAX_EXPORT_READ,
  type CaptureInfo,
  type EventName,
  type LabEvent,
  type PayloadOf,
  type TransportReport,
} from '../../shared/contract/api';
import type { Backend } from './backend';
import { captureModeReason, MAX_LAB_EVENTS, modeAllowed } from './live-slice';
import { createAppStore } from './store';

type Handler = (input: never) => unknown;

function scripted(handlers: Record<string, Handler>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: [string, unknown][] = [];
  const backend = {
    shell: 'serve',
    connection: 'open',
    async call(verb: string, input?: unknown) {
      calls.push([verb, input]);
      const h = handlers[verb];
      if (!h) throw new ApiCallError(verb, { code: 'unsupported', message: `${verb} is not scripted` });
      return h(input as never);
    },
    on(name: string, fn: (p: unknown) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn);
      return () => void set.delete(fn);
    },
    openFile: async () => {
      throw new Error('no files here');
    },
    onConnection: () => () => undefined,
  } as unknown as Backend;
  const emit = <E extends EventName>(name: E, payload: PayloadOf<E>) => {
    for (const fn of [...(listeners.get(name) ?? [])]) fn(payload);
  };
  return { backend, calls, emit, listeners };
}

const liveInfo: CaptureInfo = {
  id: 'c1',
  name: 'lo live',
  size: 0,
  origin: 'live',
  live: { mode: 'capture', iface: 'lo', filter: 'tcp port 80', helper: 'dumpcap' },
};

const report = (packets: number): TransportReport => ({
  streams: ['tcp:0'],
  packets,
  bytes: packets * 70,
  payload: 50,
  headerBytes: packets * 32,
  controlPackets: 5,
  messagesSent: 10,
  messagesDelivered: 10,
  lost: 0,
  roundTrips: 11,
  durationMs: 12,
});

const ev = (lab: string, seq: number, kind: LabEvent['kind'], text: string): LabEvent => ({
  lab,
  seq,
  kind,
  text,
  at: 1_700_000_000_000 + seq,
});

describe('live slice', () => {
  it('keeps the events a lab sends before lab.start answers, and only that lab’s', async () => {
    let answer!: () => void;
    const { backend, emit } = scripted({
      'lab.start': () =>
        new Promise((res) => {
          answer = () =>
            res({
              lab: 'L1',
              kind: 'websocket',
              mode: 'tap',
              capture: { ...liveInfo, id: 'c2' },
              target: '127.0.0.1:5000',
            });
        }),
    });
    const store = createAppStore(backend);
    const off = store.getState().bindLive();
    const started = store.getState().startLab({ lab: 'websocket', mode: 'tap', paceMs: 300 });
    emit('lab.event', ev('L1', 1, 'step', 'TCP handshake'));
    emit('lab.event', ev('L0', 9, 'step', 'an older lab'));
    answer();
    expect(await started).toBe(true);
    emit('lab.event', ev('L0', 10, 'step', 'still the older lab'));
    emit('lab.event', ev('L1', 2, 'sent', 'Hello'));
    const s = store.getState();
    expect(s.lab?.lab).toBe('L1');
    expect(s.labEvents.map((e) => e.text)).toEqual(['TCP handshake', 'Hello']);
    expect(s.labDone).toBe(false);
    off();
    emit('lab.event', ev('L1', 3, 'sent', 'after unbinding'));
    expect(store.getState().labEvents).toHaveLength(2);
  });

  it('takes the TCP-vs-UDP report from the done event, an error from the error event', async () => {
    const { backend, emit } = scripted({
      'lab.start': (i: { lab: string }) => ({
        lab: i.lab === 'tcp-udp' ? 'T1' : 'W1',
        kind: i.lab,
        mode: 'tap',
        capture: liveInfo,
        target: '127.0.0.1:1',
      }),
    });
    const store = createAppStore(backend);
    store.getState().bindLive();
    await store.getState().startLab({ lab: 'tcp-udp', mode: 'tap', messages: 10, loss: 20 });
    const done = { ...ev('T1', 5, 'done', 'finished'), report: { tcp: report(31), udp: report(10) } };
    emit('lab.event', done);
    expect(store.getState().labDone).toBe(true);
    expect(store.getState().labReport?.tcp.packets).toBe(31);
    await store.getState().startLab({ lab: 'websocket', mode: 'tap' });
    expect(store.getState().labReport).toBeNull();
    emit('lab.event', ev('W1', 1, 'error', 'The server closed the connection'));
    expect(store.getState().labError).toBe('The server closed the connection');
    expect(store.getState().labDone).toBe(true);
  });

  it('keeps at most MAX_LAB_EVENTS events, the newest', async () => {
    const { backend, emit } = scripted({
      'lab.start': () => ({ lab: 'L', kind: 'websocket', mode: 'tap', capture: liveInfo, target: 'x' }),
    });
    const store = createAppStore(backend);
    store.getState().bindLive();
    await store.getState().startLab({ lab: 'websocket', mode: 'tap' });
    for (let i = 1; i <= MAX_LAB_EVENTS + 20; i++) emit('lab.event', ev('L', i, 'sent', `m${i}`));
    const evs = store.getState().labEvents;
    expect(evs).toHaveLength(MAX_LAB_EVENTS);
    expect(evs[0].text).toBe('m21');
    expect(evs.at(-1)?.text).toBe(`m${MAX_LAB_EVENTS + 20}`);
  });

  it('marks a live capture running when it opens, and says what happened when the helper dies', () => {
    const { backend, emit } = scripted({});
    const store = createAppStore(backend);
    store.getState().bindLive();
    store.getState().captureOpened(liveInfo);
    expect(store.getState().capture?.live).toEqual({ running: true, problem: null });
    store.getState().captureProgress({ capture: 'c1', bytes: 900, total: 900, packets: 7 });
    emit('live.changed', { capture: 'other', running: false, problem: 'not this one' });
    expect(store.getState().capture?.live?.running).toBe(true);
    emit('live.changed', { capture: 'c1', running: false, problem: 'dumpcap exited with code 2' });
    const s = store.getState();
    expect(s.capture?.live).toEqual({ running: false, problem: 'dumpcap exited with code 2' });
    expect(s.capture?.progress.packets).toBe(7);
    expect(s.notices).toHaveLength(1);
    expect(s.notices[0]).toMatchObject({
      tone: 'warning',
      title: 'The capture on lo stopped on its own',
      message: 'dumpcap exited with code 2',
      kept: 'The 7 packets captured before it stopped are kept.',
    });
  });

  it('a stop the user asked for is no problem: no notice', () => {
    const { backend, emit } = scripted({});
    const store = createAppStore(backend);
    store.getState().bindLive();
    store.getState().captureOpened(liveInfo);
    emit('live.changed', { capture: 'c1', running: false, problem: null });
    expect(store.getState().capture?.live?.running).toBe(false);
    expect(store.getState().notices).toEqual([]);
  });

  it('reads an export in pieces of at most MAX_EXPORT_READ and downloads it under the ticket’s name', async () => {
    const size = MAX_EXPORT_READ * 2 + 1234;
    const whole = new Uint8Array(size);
    for (let i = 0; i < size; i++) whole[i] = (i * 7) & 0xff;
    const reads: { offset: number; length: number }[] = [];
    const { backend } = scripted({
      'capture.export': () => ({ export: 'E1', name: 'lo-live.pcapng', size, packets: 42 }),
      'export.read': (i: { export: string; offset: number; length: number }) => {
        reads.push({ offset: i.offset, length: i.length });
        return whole.slice(i.offset, i.offset + i.length);
      },
    });
    const store = createAppStore(backend);
    let got: { name: string; data: Blob } | null = null;
    store.setState({ downloader: (name, data) => (got = { name, data }) });
    store.getState().captureOpened(liveInfo);
    expect(await store.getState().saveCapture()).toBe(true);
    expect(reads).toEqual([
      { offset: 0, length: MAX_EXPORT_READ },
      { offset: MAX_EXPORT_READ, length: MAX_EXPORT_READ },
      { offset: 2 * MAX_EXPORT_READ, length: 1234 },
    ]);
    const saved = got as unknown as { name: string; data: Blob };
    expect(saved.name).toBe('lo-live.pcapng');
    // Compared as Buffers: expect's deep equality walks 8 MB element by element for a minute.
    const back = Buffer.from(await saved.data.arrayBuffer());
    expect(back.length).toBe(size);
    expect(back.equals(Buffer.from(whole))).toBe(true);
    expect(store.getState().saving).toBe(false);
    expect(store.getState().notices.at(-1)?.title).toBe('Saved lo-live.pcapng');
  });

  it('says so when an export ends early, and downloads nothing', async () => {
    const { backend } = scripted({
      'capture.export': () => ({ export: 'E1', name: 'x.pcapng', size: 100, packets: 1 }),
      'export.read': () => new Uint8Array(0),
    });
    const store = createAppStore(backend);
    let downloads = 0;
    store.setState({ downloader: () => downloads++ });
    store.getState().captureOpened(liveInfo);
    expect(await store.getState().saveCapture()).toBe(false);
    expect(downloads).toBe(0);
    expect(store.getState().notices.at(-1)).toMatchObject({
      tone: 'error',
      title: 'lo live could not be saved',
      message: 'The export ended early, at byte 0 of 100.',
    });
  });

  it('answers its four menu commands and no other', async () => {
    const { backend, emit, calls } = scripted({
      'live.access': () => ({
        helper: 'dumpcap',
        permitted: false,
        message: 'no',
        grant: [],
        interfaces: [],
        tap: true,
      }),
      'samples.list': () => [{ name: 'websocket-lab.pcapng', title: 'WebSocket lab', description: 'd' }],
    });
    const store = createAppStore(backend);
    store.getState().bindLive();
    emit('app.command', { command: 'zoom-in' });
    expect(store.getState().liveDialogOpen).toBe(false);
    emit('app.command', { command: 'live-capture' });
    expect(store.getState().liveDialogOpen).toBe(true);
    emit('app.command', { command: 'lab-tcp-udp' });
    expect(store.getState()).toMatchObject({ labsOpen: true, labKind: 'tcp-udp' });
    emit('app.command', { command: 'lab-websocket' });
    expect(store.getState()).toMatchObject({ labsOpen: true, labKind: 'websocket' });
    emit('app.command', { command: 'labs' });
    expect(store.getState().labsOpen).toBe(true);
    emit('app.command', { command: 'open-sample' });
    expect(store.getState().samplesOpen).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().samples?.map((s) => s.name)).toEqual(['websocket-lab.pcapng']);
    expect(store.getState().liveAccess?.permitted).toBe(false);
    expect(calls.map((c) => c[0])).toEqual(expect.arrayContaining(['live.access', 'samples.list']));
    expect(store.getState().runLiveCommand('open')).toBe(false);
  });

  it('finds the handshake’s key and accept through the filter and the details', async () => {
    const item = (abbrev: string, value: string) => ({ abbrev, label: '', offset: 0, length: 0, value });
    const detail = (frame: number, items: unknown[]) => ({
      capture: 'c1',
      frame,
      bytes: new Uint8Array(0),
      dissection: { frame, layers: [{ proto: 'http', items: [{ ...item('', ''), children: items }] }] },
    });
    const { backend } = scripted({
      'packets.find': (i: { text: string }) => (i.text === 'http.sec_websocket_key' ? 4 : 6),
      'packets.detail': (i: { frame: number }) =>
        i.frame === 4
          ? detail(4, [item('http.sec_websocket_key', 'dGhlIHNhbXBsZSBub25jZQ==')])
          : detail(6, [item('http.sec_websocket_accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=')]),
    });
    const store = createAppStore(backend);
    store.getState().captureOpened(liveInfo);
    await store.getState().findHandshake();
    expect(store.getState().handshake).toEqual({
      keyFrame: 4,
      key: 'dGhlIHNhbXBsZSBub25jZQ==',
      acceptFrame: 6,
      accept: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    });
  });

  it('capture mode is offered only with permission; the tap always', () => {
    const denied = {
      helper: 'dumpcap' as const,
      permitted: false,
      message:
        'nobody may not capture with dumpcap (dumpcap says: The capabilities of the capture device "lo" could not be obtained). On Linux, add nobody to the wireshark group.',
      grant: [],
      interfaces: [],
      tap: true as const,
    };
    expect(modeAllowed(denied, 'tap')).toBe(true);
    expect(modeAllowed(denied, 'capture')).toBe(false);
    expect(modeAllowed(null, 'capture')).toBe(false);
    expect(modeAllowed({ ...denied, permitted: true, message: null }, 'capture')).toBe(true);
    expect(captureModeReason(denied)).toBe('nobody may not capture with dumpcap.');
    expect(captureModeReason({ ...denied, message: null })).toBe('dumpcap may not capture here.');
    expect(captureModeReason({ ...denied, helper: null })).toBe('Neither dumpcap nor tcpdump is installed.');
    expect(captureModeReason({ ...denied, permitted: true, message: null })).toBeNull();
  });
});
