// The store against the real backend (electron/backend, index worker included), connected in
// process the way the transports connect it: every call goes through PageSession.dispatch (the
// guards), every event through the page's sink, files arrive by the real chunked upload. Expected
// values come from tshark where it is installed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiCallError,
  type ApiClient,
  type EventName,
  type PayloadOf,
  type Verb,
} from '../../shared/contract/api';
import { Backend as ServerBackend } from '../../electron/backend/backend';
import { tsharkFields, tsharkMissing } from '../../tests/support/tshark';
import { uploadFile } from '../api/upload';
import type { Backend } from './backend';
import { bindBackend, runCommand } from './events';
import { DEFAULT_COLORING } from '../../shared/filter/coloring';
import { COLORING_KEY, readColoring } from './coloring-slice';
import { PREFS_KEY, readPrefs } from './prefs-slice';
import { createAppStore, type AppStore, type Store } from './store';
import { itemAtPath } from './tree';

const root = resolve(import.meta.dirname, '../..');
// ICMP, ICMPv6, UDP and TCP over IPv4 and IPv6: every protocol here is one Wirescope dissects.
const mixed = join(root, 'tests/fixtures/captures/lo-mixed.pcap');
const cutShort = join(root, 'tests/fixtures/readers/cut-short.pcap');
const servers: ServerBackend[] = [];

function connect(parked?: { server: ServerBackend }): Backend {
  const server =
    parked?.server ??
    new ServerBackend({
      shell: 'serve',
      version: 'test',
      uploadDir: mkdtempSync(join(tmpdir(), 'wirescope-store-')),
    });
  if (!parked) servers.push(server);
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  // Events wait until the page's first call, as a socket holds them until the page reads it (by
  // then the page has subscribed).
  let held: [string, unknown][] | null = [];
  const emit = (name: string, payload: unknown) => {
    for (const fn of [...(listeners.get(name) ?? [])]) fn(payload);
  };
  const page = server.connect((name, payload) => (held ? held.push([name, payload]) : emit(name, payload)));
  // As serve mode does on a connection: the first page takes the captures opened at launch.
  if (parked) page.adoptParked();
  const client: Backend = {
    shell: 'serve',
    connection: 'open',
    async call(verb: Verb, ...input: unknown[]) {
      if (held) {
        const early = held;
        held = null;
        for (const [name, payload] of early) emit(name, payload);
      }
      const r = await page.dispatch(verb, input[0]);
      if (!r.ok) throw new ApiCallError(verb, r.error);
      return r.value as never;
    },
    on<E extends EventName>(name: E, fn: (p: PayloadOf<E>) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as (p: unknown) => void);
      return () => void set.delete(fn as (p: unknown) => void);
    },
    openFile: (file, opts) => uploadFile(client as ApiClient, file, opts),
    onConnection: () => () => undefined,
  } as Backend;
  return client;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Resolves when `test` holds for the store (checked on every change), or fails after `ms`. */
function until(store: AppStore, test: (s: Store) => boolean, what: string, ms = 20_000): Promise<Store> {
  return new Promise((res, rej) => {
    if (test(store.getState())) return res(store.getState());
    const timer = setTimeout(() => {
      off();
      rej(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = store.subscribe((s) => {
      if (test(s)) {
        clearTimeout(timer);
        off();
        res(s);
      }
    });
  });
}

function fileOf(path: string, name = path.split('/').pop()!): File {
  return new File([readFileSync(path)], name);
}

async function openCapture(path: string): Promise<AppStore> {
  const backend = connect();
  const store = createAppStore(backend);
  bindBackend(store, backend);
  await store.getState().start();
  await store.getState().openFile(fileOf(path));
  await until(store, (s) => s.capture?.phase !== 'indexing' && s.capture !== null, 'the index pass to end');
  // What the packet list does when it mounts: ask for the visible window.
  store.getState().ensureRows(0, 40);
  return store;
}

async function rowsOf(store: AppStore, from: number, count: number) {
  store.getState().ensureRows(from, count);
  await until(
    store,
    (s) =>
      Array.from({ length: Math.min(count, s.total - from) }, (_, i) => s.rows.get(from + i)).every(Boolean),
    'rows',
  );
  const s = store.getState();
  return Array.from({ length: Math.min(count, s.total - from) }, (_, i) => s.rows.get(from + i)!);
}

describe('capture slice: open by upload, progress, finish', () => {
  let store: AppStore;
  beforeAll(async () => {
    store = await openCapture(mixed);
  });

  it('lists every packet in frame order once the pass is done', async () => {
    const s = store.getState();
    expect(s.capture?.phase).toBe('done');
    expect(s.capture?.info).toMatchObject({ name: 'lo-mixed.pcap', origin: 'upload' });
    expect(s.complete).toBe(true);
    expect(s.total).toBe(s.capture?.progress.packets);
    const rows = await rowsOf(store, 0, s.total);
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: s.total }, (_, i) => i + 1));
  });

  it.skipIf(!!tsharkMissing)(`has the rows and columns tshark shows ${tsharkMissing}`, async () => {
    const rows = await rowsOf(store, 0, store.getState().total);
    const want = tsharkFields(mixed, ['frame.number', '_ws.col.Protocol', 'frame.len']);
    expect(rows.length).toBe(want.length);
    expect(rows.map((r) => [String(r.number), r.protocol, String(r.length)])).toEqual(want);
  });

  it('selects the first packet once rows arrive, with its full dissection', async () => {
    const s = await until(store, (x) => x.detail !== null, 'the first detail');
    expect(s.frame).toBe(1);
    expect(s.cursor).toBe(0);
    expect(s.detail?.frame).toBe(1);
    expect(s.detail?.dissection.layers.map((l) => l.proto)).toEqual(['frame', 'eth', 'ip', 'icmp', 'data']);
    expect(s.detail?.bytes.length).toBeGreaterThan(0);
  });

  it('shows nothing as an error when the file is whole', () => {
    expect(store.getState().notices).toEqual([]);
  });
});

describe('selection slice: packet, field, bytes', () => {
  let store: AppStore;
  beforeAll(async () => {
    store = await openCapture(mixed);
    await until(store, (x) => x.detail !== null, 'the first detail');
  });

  it('a field highlights its bytes; a generated value highlights none', async () => {
    await store.getState().selectFrame(16);
    const d = store.getState().detail!.dissection;
    const tcp = d.layers.findIndex((l) => l.proto === 'tcp');
    const flagsAt = d.layers[tcp].items.findIndex((i) => i.abbrev === 'tcp.flags');
    store.getState().selectField({ layer: tcp, path: [flagsAt] });
    const item = itemAtPath(d.layers[tcp], [flagsAt])!;
    expect(store.getState().field).toMatchObject({
      abbrev: 'tcp.flags',
      offset: item.offset,
      length: item.length,
    });
    expect(store.getState().bytes).toEqual({ source: 0, offset: item.offset, length: item.length });
    const streamAt = d.layers[tcp].items.findIndex((i) => i.abbrev === 'tcp.stream');
    store.getState().selectField({ layer: tcp, path: [streamAt] });
    expect(store.getState().field?.abbrev).toBe('tcp.stream');
    expect(store.getState().bytes).toBeNull();
  });

  it('a clicked byte selects the narrowest field that holds it', async () => {
    await store.getState().selectFrame(16);
    const d = store.getState().detail!.dissection;
    const ip = d.layers.find((l) => l.proto === 'ip')!;
    const ttl = ip.items.find((i) => i.abbrev === 'ip.ttl')!;
    store.getState().selectByte(0, ttl.offset);
    expect(store.getState().field?.abbrev).toBe('ip.ttl');
    expect(store.getState().bytes).toEqual({ source: 0, offset: ttl.offset, length: 1 });
    // The destination address: four bytes, one field; a middle byte still selects it.
    const dst = ip.items.find((i) => i.abbrev === 'ip.dst')!;
    store.getState().selectByte(0, dst.offset + 2);
    expect(store.getState().field?.abbrev).toBe('ip.dst');
  });

  it('a layer selects the layer node and its whole byte range', async () => {
    const d = store.getState().detail!.dissection;
    const ip = d.layers.findIndex((l) => l.proto === 'ip');
    store.getState().selectLayer(ip);
    expect(store.getState().field).toMatchObject({ layer: ip, path: [], abbrev: 'ip' });
    expect(store.getState().bytes).toEqual({
      source: 0,
      offset: d.layers[ip].offset,
      length: d.layers[ip].length,
    });
  });

  it('keeps the same field selected from packet to packet, as Wireshark', async () => {
    await store.getState().selectFrame(3);
    store.getState().selectByte(
      0,
      store
        .getState()
        .detail!.dissection.layers.find((l) => l.proto === 'ip')!
        .items.find((i) => i.abbrev === 'ip.ttl')!.offset,
    );
    await store.getState().selectFrame(9);
    expect(store.getState().detail?.frame).toBe(9);
    expect(store.getState().field?.abbrev).toBe('ip.ttl');
    // An IPv6 packet has no ip.ttl: nothing stays selected rather than something unrelated.
    await store.getState().selectFrame(11);
    expect(store.getState().field).toBeNull();
  });

  it('a later request wins over an earlier one that answers late', async () => {
    const a = store.getState().selectFrame(2);
    const b = store.getState().selectFrame(6);
    await Promise.all([a, b]);
    expect(store.getState().frame).toBe(6);
    expect(store.getState().detail?.frame).toBe(6);
  });
});

describe('list slice: keyboard, go to, sort, conversation filter', () => {
  let store: AppStore;
  beforeAll(async () => {
    store = await openCapture(mixed);
    await until(store, (x) => x.detail !== null, 'the first detail');
  });

  it('↓, End and Home move the selection and ask the list to scroll', async () => {
    const s = store.getState();
    await s.moveCursor(1);
    expect(store.getState()).toMatchObject({ frame: 2, cursor: 1 });
    await s.moveCursor(Infinity);
    expect(store.getState()).toMatchObject({ frame: s.total, cursor: s.total - 1 });
    expect(store.getState().scrollTo?.position).toBe(s.total - 1);
    await s.moveCursor(-Infinity);
    expect(store.getState()).toMatchObject({ frame: 1, cursor: 0 });
    await s.moveCursor(-1);
    expect(store.getState().frame).toBe(1);
  });

  it('Ctrl+G goes to a packet, and says so when there is none', async () => {
    expect(await store.getState().goToFrame(5)).toBe(true);
    expect(store.getState()).toMatchObject({ frame: 5, cursor: 4 });
    const total = store.getState().total;
    expect(await store.getState().goToFrame(total + 10)).toBe(false);
    const n = store.getState().notices.at(-1)!;
    expect(n.title).toBe(`No packet ${total + 10} here`);
    expect(n.message).toBe(`The capture has ${total} packets.`);
    store.getState().dismissNotice(n.id);
  });

  it('sorts by length ascending, then descending, then back to frame order, keeping the selection', async () => {
    await store.getState().goToFrame(4);
    store.getState().sortBy('length');
    await until(store, (s) => s.cursor !== null && s.view.sort?.column === 'length', 'the sorted view');
    let rows = await rowsOf(store, 0, store.getState().total);
    const lengths = rows.map((r) => r.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(rows[store.getState().cursor!].number).toBe(4);

    store.getState().sortBy('length');
    await until(store, (s) => s.view.sort?.descending === true && s.cursor !== null, 'the descending view');
    rows = await rowsOf(store, 0, store.getState().total);
    expect(rows.map((r) => r.length)).toEqual([...lengths].sort((a, b) => b - a));
    expect(rows[store.getState().cursor!].number).toBe(4);

    store.getState().sortBy('length');
    await until(store, (s) => s.view.sort === undefined && s.cursor === 3, 'frame order again');
    rows = await rowsOf(store, 0, 5);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('filters to one TCP stream: only its packets, counted as tshark counts them', async () => {
    store.getState().filterConversation({ kind: 'tcp', stream: 1 });
    await until(store, (s) => s.view.conversation?.stream === 1 && s.total > 0, 'the filtered view');
    const rows = await rowsOf(store, 0, store.getState().total);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.stream?.kind === 'tcp' && r.stream.stream === 1)).toBe(true);
    if (!tsharkMissing) {
      // The oracle where present; the stream column above holds either way.
      const want = tsharkFields(mixed, ['frame.number'], ['-Y', 'tcp.stream == 1']).map((r) => Number(r[0]));
      expect(rows.map((r) => r.number)).toEqual(want);
    }
    // A packet outside the stream cannot be gone to while the filter holds.
    const outside = rows.length > 0 ? (rows[0].number === 1 ? rows.at(-1)!.number + 1 : 1) : 1;
    expect(await store.getState().goToFrame(outside)).toBe(false);
    expect(store.getState().notices.at(-1)?.message).toMatch(/not in the conversation/);
    store.getState().filterConversation(null);
    await until(
      store,
      (s) => s.view.conversation === undefined && s.total > rows.length,
      'every packet again',
    );
  });
});

describe('conversations slice', () => {
  let store: AppStore;
  beforeAll(async () => {
    store = await openCapture(mixed);
    await store.getState().loadConversations();
  });

  it('lists every TCP stream of the capture once the pass is done', () => {
    const list = store.getState().conversations!;
    expect(list.complete).toBe(true);
    const tcp = list.conversations.filter((c) => c.kind === 'tcp');
    expect(tcp.length).toBe(store.getState().capture!.summary!.tcpStreams);
    expect(tcp.length).toBeGreaterThan(1);
  });

  it.skipIf(!!tsharkMissing)(`counts each stream's packets as tshark does ${tsharkMissing}`, () => {
    const tcp = store.getState().conversations!.conversations.filter((c) => c.kind === 'tcp');
    for (const c of tcp) {
      const n = tsharkFields(mixed, ['frame.number'], ['-Y', `tcp.stream == ${c.stream}`]).length;
      expect(c.packets, `tcp stream ${c.stream}`).toBe(n);
    }
  });
});

describe('errors in plain words, with what was kept', () => {
  it('a file that is no capture: says so and that nothing could be read', async () => {
    const backend = connect();
    const store = createAppStore(backend);
    bindBackend(store, backend);
    await store.getState().start();
    await store
      .getState()
      .openFile(
        new File(
          [new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example\r\n\r\n'.repeat(20))],
          'notes.txt',
        ),
      );
    const s = await until(store, (x) => x.notices.length > 0 && x.capture === null, 'the failure');
    // Nothing was read: the capture is closed again and the window returns to the open screen.
    expect(s.capture).toBeNull();
    expect(s.total).toBe(0);
    const n = s.notices.at(-1)!;
    expect(n.tone).toBe('error');
    expect(n.title).toBe('notes.txt could not be opened');
    expect(n.message).toMatch(/notes\.txt/);
    expect(n.message).not.toMatch(/wirescope-uploads/);
    expect(n.kept).toBe('No packet could be read from it.');
  });

  it('a capture cut short: keeps every whole packet and says which record was lost', async () => {
    const store = await openCapture(cutShort);
    const s = store.getState();
    expect(s.capture?.phase).toBe('done');
    expect(s.total).toBe(23);
    const n = s.notices.at(-1)!;
    expect(n.tone).toBe('warning');
    expect(n.title).toBe('cut-short.pcap is damaged');
    expect(n.message).toMatch(/truncated last packet record at offset 2408/);
    expect(n.kept).toBe('All 23 whole packets are listed.');
  });

  it('an upload cancelled with Esc keeps nothing and says so', async () => {
    const backend = connect();
    const store = createAppStore(backend);
    bindBackend(store, backend);
    // Large enough for several chunks, so Esc lands while the upload runs.
    const big = new File([new Uint8Array(6 << 20)], 'big.pcap');
    const done = store.getState().openFile(big);
    await until(store, (s) => s.opening !== null, 'the upload to start');
    await store.getState().cancel();
    await done;
    const s = store.getState();
    expect(s.opening).toBeNull();
    expect(s.capture).toBeNull();
    expect(s.notices.at(-1)).toMatchObject({ tone: 'info', title: 'Stopped opening big.pcap' });
  });

  it('a failed call becomes a notice, not an exception', async () => {
    const store = await openCapture(mixed);
    store.getState().captureOpened({ id: 'c999', name: 'gone.pcap', size: 1, origin: 'upload' });
    await store.getState().loadConversations();
    expect(store.getState().conversationsError).toMatch(/No open capture c999/);
  });
});

describe('a capture opened before the page (command line)', () => {
  it('is adopted with its final state even when its pass ended before the page connected', async () => {
    const server = new ServerBackend({ shell: 'serve', version: 'test' });
    servers.push(server);
    server.park(mixed);
    // Long enough for the 32-packet pass to end with no page to hear it.
    await new Promise((r) => setTimeout(r, 2500));
    const backend = connect({ server });
    const store = createAppStore(backend);
    bindBackend(store, backend);
    await store.getState().start();
    const s = await until(store, (x) => x.capture?.phase === 'done', 'the adopted capture to be done');
    expect(s.capture?.info).toMatchObject({ name: 'lo-mixed.pcap', origin: 'command-line' });
    expect(s.total).toBe(32);
    expect(s.complete).toBe(true);
  });
});

describe('connection', () => {
  it('a lost backend leaves one notice, and later failures add none', async () => {
    const backend = connect();
    let tell: (c: 'open' | 'closed') => void = () => undefined;
    const watched: Backend = {
      ...backend,
      call: backend.call,
      on: backend.on,
      openFile: backend.openFile,
      onConnection: (fn) => ((tell = fn), () => undefined),
    };
    const store = createAppStore(watched);
    bindBackend(store, watched);
    store.getState().notify({ tone: 'warning', title: 'Something earlier', message: 'x' });
    tell('closed');
    expect(store.getState().connection).toBe('closed');
    expect(store.getState().notices.map((n) => n.title)).toEqual(['The connection to the backend was lost']);
    store.getState().notify({ tone: 'error', title: 'Packets could not be listed', message: 'closed' });
    expect(store.getState().notices).toHaveLength(1);
  });

  it('the same message twice shows once', () => {
    const store = createAppStore(connect());
    store.getState().notify({ tone: 'error', title: 'A', message: 'B' });
    store.getState().notify({ tone: 'error', title: 'A', message: 'B' });
    expect(store.getState().notices).toHaveLength(1);
  });
});

/** A page's localStorage, in memory. */
const memory = () => {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    m,
  };
};

describe('prefs slice: theme and zoom', () => {
  it('steps zoom along the ladder and stops at its ends; Ctrl+0 resets', () => {
    const storage = memory();
    const store = createAppStore(connect(), { storage, prefs: readPrefs(storage, 'dark') });
    const s = store.getState();
    s.zoomBy(1);
    expect(store.getState().zoom).toBe(1.1);
    s.zoomBy(-1);
    s.zoomBy(-1);
    expect(store.getState().zoom).toBe(0.9);
    for (let i = 0; i < 20; i++) s.zoomBy(1);
    expect(store.getState().zoom).toBe(3);
    s.zoomReset();
    expect(store.getState().zoom).toBe(1);
  });

  it('remembers theme and zoom across pages, ignoring damaged entries', () => {
    const storage = memory();
    const a = createAppStore(connect(), { storage, prefs: readPrefs(storage, 'dark') });
    runCommand(a, 'theme-contrast');
    runCommand(a, 'zoom-in');
    expect(readPrefs(storage, 'light')).toEqual({ theme: 'contrast', zoom: 1.1 });
    storage.m.set(PREFS_KEY, '{"theme":"neon","zoom":7}');
    expect(readPrefs(storage, 'light')).toEqual({ theme: 'light', zoom: 1 });
    storage.m.set(PREFS_KEY, 'not json');
    expect(readPrefs(storage, 'dark')).toEqual({ theme: 'dark', zoom: 1 });
  });
});

describe('coloring slice: rules as filters, kept, recolouring the rows', () => {
  it("starts from Wireshark's defaults and ignores damaged entries rule by rule", () => {
    const storage = memory();
    expect(readColoring(storage)).toEqual(DEFAULT_COLORING);
    storage.m.set(COLORING_KEY, 'not json');
    expect(readColoring(storage)).toEqual(DEFAULT_COLORING);
    storage.m.set(
      COLORING_KEY,
      JSON.stringify([
        { name: 'Mine', filter: 'udp', fg: '#000000', bg: '#FFCC00', enabled: false },
        { name: 'No colours', filter: 'tcp' },
        { name: 'Bad colour', filter: 'tcp', fg: 'red', bg: '#ffffff' },
        42,
      ]),
    );
    expect(readColoring(storage)).toEqual([
      { name: 'Mine', filter: 'udp', fg: '#000000', bg: '#ffcc00', enabled: false },
    ]);
  });

  it('a new rule on top recolours the rows it selects at once, and outlives the page', async () => {
    const storage = memory();
    const backend = connect();
    const store = createAppStore(backend, { storage });
    bindBackend(store, backend);
    await store.getState().start();
    await store.getState().openFile(fileOf(mixed));
    await until(store, (s) => s.capture?.phase === 'done', 'the index pass to end');
    const before = await rowsOf(store, 0, store.getState().total);
    const enabled = () => store.getState().coloringRules.filter((r) => r.enabled);
    const nameOf = (color: number | null) => (color === null ? null : enabled()[color].name);
    // Names now: a row's colour is an index into the rules it was asked with.
    const beforeNames = before.map((r) => nameOf(r.color));
    expect(beforeNames.filter((n) => n === 'UDP').length).toBeGreaterThan(0);

    const mine = { name: 'Mine', filter: 'udp.length > 20', fg: '#000000', bg: '#ffcc00', enabled: true };
    store.getState().setColoringRules([mine, ...store.getState().coloringRules]);
    const after = await rowsOf(store, 0, store.getState().total);
    const want = tsharkMissing
      ? null
      : tsharkFields(mixed, ['udp.length']).map(
          ([l]) => l !== '' && l.split(',').some((x) => Number(x) > 20),
        );
    after.forEach((r, i) => {
      if (want) expect(nameOf(r.color) === 'Mine', `frame ${r.number}`).toBe(want[i]);
      if (nameOf(r.color) !== 'Mine') expect(nameOf(r.color)).toBe(beforeNames[i]);
    });
    expect(after.some((r) => nameOf(r.color) === 'Mine')).toBe(true);
    expect(readColoring(storage)[0]).toEqual(mine);

    store.getState().resetColoring();
    const reset = await rowsOf(store, 0, store.getState().total);
    expect(reset.map((r) => nameOf(r.color))).toEqual(beforeNames);
    expect(readColoring(storage)).toEqual(DEFAULT_COLORING);
  });
});
