import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COLOR_RULES,
  type ApiResult,
  type CaptureState,
  type EventName,
  type ColoringRule,
  type PacketRow,
  type RowBatch,
} from '../../shared/contract/api';
import { COLOR_STYLES } from '../../shared/contract/coloring';
import { coloringFilters, DEFAULT_COLORING, formatColorfilters } from '../../shared/filter/coloring';
import { allDissectors } from '../../shared/dissectors';
import { tsharkFields, tsharkMissing } from '../../tests/support/tshark';
import { Backend, type PageSession } from './backend';
import { openCaptureIndex } from './capture-index';
import { RecentFiles } from './recent-files';

const root = resolve(import.meta.dirname, '../..');
const captures = join(root, 'tests/fixtures/captures');
const web = join(root, 'tests/fixtures/cli/web.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-backend-'));

type Ev = { name: EventName; payload: unknown };

function page(backend: Backend): {
  page: PageSession;
  events: Ev[];
  next: (name: EventName) => Promise<unknown>;
} {
  const events: Ev[] = [];
  const waiters: { name: EventName; resolve: (p: unknown) => void }[] = [];
  const p = backend.connect((name, payload) => {
    events.push({ name, payload });
    for (const w of waiters.splice(0)) {
      if (w.name === name) w.resolve(payload);
      else waiters.push(w);
    }
  });
  const next = (name: EventName) => new Promise<unknown>((res) => waiters.push({ name, resolve: res }));
  return { page: p, events, next };
}

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function finished(p: PageSession, capture: string): Promise<CaptureState> {
  for (;;) {
    const s = value<CaptureState>(await p.dispatch('capture.state', { capture }));
    if (s.phase !== 'indexing') return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const backends: Backend[] = [];
function backend(extra: Partial<ConstructorParameters<typeof Backend>[0]> = {}): Backend {
  const b = new Backend({ shell: 'serve', version: 'test', uploadDir: dir, ...extra });
  backends.push(b);
  return b;
}
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

describe('dispatch: the one place inputs are checked', () => {
  it('refuses unknown verbs and inputs that fail the guard, naming the path', async () => {
    const { page: p } = page(backend());
    expect(await p.dispatch('fs.readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-verb' },
    });
    expect(await p.dispatch('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-verb' } });
    expect(await p.dispatch('packets.rows', { capture: 'c1', from: -1, count: 10 })).toMatchObject({
      ok: false,
      error: {
        code: 'bad-input',
        message: 'packets.rows: input.from must be an integer in [0, 9007199254740991].',
      },
    });
    expect(await p.dispatch('packets.rows', { capture: 'c1', from: 0, count: 1e6 })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    expect(await p.dispatch('packets.rows', { capture: 'c1', from: 0, count: 1, extra: 1 })).toMatchObject({
      ok: false,
      error: { message: 'packets.rows: input.extra must be no such key.' },
    });
    expect(
      await p.dispatch('packets.rows', {
        capture: 'c1',
        from: 0,
        count: 1,
        view: { sort: { column: 'evil', descending: false } },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    expect(await p.dispatch('upload.chunk', { upload: 'u1', offset: 0, bytes: [1, 2, 3] })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    expect(await p.dispatch('packets.detail', { capture: 'nope', frame: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(await p.dispatch('app.hello', undefined)).toMatchObject({
      ok: true,
      value: { shell: 'serve', version: 'test', canPick: false, captures: [] },
    });
  });

  it('refuses paths from the page unless the shell derives them itself, and recent paths not on the list', async () => {
    const { page: p } = page(backend());
    expect(await p.dispatch('capture.openDropped', { path: web })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await p.dispatch('capture.openRecent', { path: web })).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    expect(await p.dispatch('capture.pick', undefined)).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    const recent = new RecentFiles(join(dir, 'recent.json'));
    const { page: d } = page(backend({ shell: 'electron', recent, acceptDroppedPaths: true }));
    expect(await d.dispatch('capture.openRecent', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const opened = value<{ id: string; origin: string }>(
      await d.dispatch('capture.openDropped', { path: web }),
    );
    expect(opened.origin).toBe('drop');
    expect(recent.list()[0].path).toBe(web);
    expect(value<{ origin: string }>(await d.dispatch('capture.openRecent', { path: web })).origin).toBe(
      'recent',
    );
    expect(new RecentFiles(join(dir, 'recent.json')).list().map((r) => r.path)).toEqual([web]);
  });

  it('keeps problems met before the page said hello, then sends them as events', async () => {
    const { page: p, events } = page(backend());
    expect(p.openOrNotice(join(dir, 'gone.pcap'), 'command-line')).toBeNull();
    const hello = value<{ notices: { code: string; message: string }[] }>(
      await p.dispatch('app.hello', undefined),
    );
    expect(hello.notices).toEqual([
      {
        code: 'io',
        message: `${join(dir, 'gone.pcap')}: cannot open the capture: no such file or directory`,
      },
    ]);
    expect(value<{ notices: unknown[] }>(await p.dispatch('app.hello', undefined)).notices).toEqual([]);
    p.openOrNotice(join(dir, 'gone-too.pcap'), 'os');
    expect(events.at(-1)).toEqual({
      name: 'app.notice',
      payload: {
        code: 'io',
        message: `${join(dir, 'gone-too.pcap')}: cannot open the capture: no such file or directory`,
      },
    });
  });

  it('reports a missing file and a directory in plain words', async () => {
    const { page: p } = page(backend());
    expect(() => p.openPath(join(dir, 'missing.pcap'), 'command-line')).toThrow(
      /missing\.pcap: cannot open the capture: no such file or directory/,
    );
    expect(() => p.openPath(dir, 'command-line')).toThrow(/is a directory/);
    expect(() => p.openPath('/dev/zero', 'command-line')).toThrow(
      '/dev/zero: cannot open the capture: not a regular file',
    );
  });
});

describe('a capture through the API', () => {
  it('opens, reports progress and the end, and serves rows, detail and positions', async () => {
    const { page: p, events, next } = page(backend());
    const finishedEvent = next('capture.finished');
    const info = p.openPath(web, 'command-line');
    expect(events[0]).toEqual({ name: 'capture.opened', payload: info });
    const batch = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 5 }));
    expect(batch.rows.length).toBeGreaterThan(0);
    const state = (await finishedEvent) as CaptureState;
    expect(state).toMatchObject({ phase: 'done', error: null, info });
    expect(state.summary?.packets).toBe(state.progress.packets);
    expect(state.loadMs).toBeGreaterThanOrEqual(0);

    const all = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 2000 }));
    expect(all.complete).toBe(true);
    expect(all.total).toBe(state.progress.packets);
    expect(all.rows.map((r) => r.number)).toEqual(Array.from({ length: all.total }, (_, i) => i + 1));
    const ref = openCaptureIndex(web);
    await ref.done;
    const plain = await ref.rows(1, ref.count);
    await ref.close();
    expect(
      all.rows.map(({ number, time, src, dst, protocol, length, info }) => ({
        number,
        time,
        src,
        dst,
        protocol,
        length,
        info,
      })),
    ).toEqual(plain);

    const mid = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 3, count: 2 }));
    expect(mid.rows.map((r) => r.number)).toEqual([4, 5]);
    expect(
      value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: all.total + 5, count: 10 }))
        .rows,
    ).toEqual([]);

    const detail = value<{ frame: number; bytes: Uint8Array; dissection: { layers: { proto: string }[] } }>(
      await p.dispatch('packets.detail', { capture: info.id, frame: 4 }),
    );
    expect(detail.frame).toBe(4);
    expect(detail.bytes.length).toBeGreaterThan(0);
    expect(detail.dissection.layers.map((l) => l.proto)).toContain('tcp');
    expect(value(await p.dispatch('packets.detail', { capture: info.id, frame: all.total + 1 }))).toBeNull();
    expect(value(await p.dispatch('packets.position', { capture: info.id, frame: 7 }))).toBe(6);

    const closed = next('capture.closed');
    expect(value(await p.dispatch('capture.close', { capture: info.id }))).toBeUndefined();
    expect(await closed).toEqual({ capture: info.id });
    expect(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('sorts and filters views as the index and the columns say', async () => {
    const { page: p } = page(backend());
    const info = p.openPath(web, 'command-line');
    const st = await finished(p, info.id);
    const n = st.progress.packets;
    const rows = (view: object) =>
      p
        .dispatch('packets.rows', { capture: info.id, from: 0, count: 2000, view })
        .then((r) => value<RowBatch>(r).rows);
    const byLen = await rows({ sort: { column: 'length', descending: false } });
    expect(byLen).toHaveLength(n);
    for (let i = 1; i < n; i++) expect(byLen[i].length >= byLen[i - 1].length).toBe(true);
    const byLenDesc = await rows({ sort: { column: 'length', descending: true } });
    expect(byLenDesc.map((r) => r.number)).toEqual(byLen.map((r) => r.number).reverse());
    const byNumDesc = await rows({ sort: { column: 'number', descending: true } });
    expect(byNumDesc.map((r) => r.number)).toEqual(Array.from({ length: n }, (_, i) => n - i));
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    for (const column of ['source', 'destination', 'protocol', 'info'] as const) {
      const sorted = await rows({ sort: { column, descending: false } });
      const text = (r: PacketRow) =>
        column === 'source'
          ? r.src
          : column === 'destination'
            ? r.dst
            : column === 'protocol'
              ? r.protocol
              : r.info;
      expect(sorted).toHaveLength(n);
      for (let i = 1; i < n; i++) {
        const c = collator.compare(text(sorted[i - 1]), text(sorted[i]));
        expect(c < 0 || (c === 0 && sorted[i - 1].number < sorted[i].number), `${column} at ${i}`).toBe(true);
      }
    }
    const streams = [...new Set(byLen.filter((r) => r.stream?.kind === 'tcp').map((r) => r.stream!.stream))];
    expect(streams.length).toBeGreaterThan(0);
    for (const s of streams) {
      const conv = await rows({ conversation: { kind: 'tcp', stream: s } });
      const expected = byLen
        .filter((r) => r.stream?.kind === 'tcp' && r.stream.stream === s)
        .map((r) => r.number)
        .sort((a, b) => a - b);
      expect(conv.map((r) => r.number)).toEqual(expected);
      const convByInfo = await rows({
        conversation: { kind: 'tcp', stream: s },
        sort: { column: 'info', descending: true },
      });
      expect(convByInfo.map((r) => r.number).sort((a, b) => a - b)).toEqual(expected);
      expect(
        value(
          await p.dispatch('packets.position', {
            capture: info.id,
            frame: expected[1],
            view: { conversation: { kind: 'tcp', stream: s } },
          }),
        ),
      ).toBe(1);
    }
  });

  it.skipIf(!!tsharkMissing)(`lists conversations as tshark -z conv does ${tsharkMissing}`, async () => {
    const { page: p } = page(backend());
    const info = p.openPath(web, 'command-line');
    await finished(p, info.id);
    const list = value<{
      conversations: {
        kind: string;
        stream: number;
        packets: number;
        bytes: number;
        addressA: string;
        portA: number;
        addressB: string;
        portB: number;
      }[];
    }>(await p.dispatch('conversations.list', { capture: info.id }));
    const tcp = list.conversations.filter((c) => c.kind === 'tcp');
    const fields = tsharkFields(web, ['tcp.stream', 'frame.len', 'ip.src', 'tcp.srcport']);
    const want = new Map<number, { packets: number; bytes: number }>();
    for (const [s, len] of fields) {
      if (s === '') continue;
      const w = want.get(Number(s)) ?? { packets: 0, bytes: 0 };
      w.packets++;
      w.bytes += Number(len);
      want.set(Number(s), w);
    }
    expect(tcp.map((c) => c.stream)).toEqual([...want.keys()].sort((a, b) => a - b));
    for (const c of tcp) expect({ packets: c.packets, bytes: c.bytes }).toEqual(want.get(c.stream));
    const firstOf = (s: number) => fields.find((f) => f[0] === String(s))!;
    for (const c of tcp)
      expect([c.addressA, String(c.portA)]).toEqual([firstOf(c.stream)[2], firstOf(c.stream)[3]]);
    expect(
      value<{ conversations: unknown[] }>(
        await p.dispatch('conversations.list', { capture: info.id, kind: 'udp' }),
      ).conversations.every((c) => (c as { kind: string }).kind === 'udp'),
    ).toBe(true);
  });

  it('keeps the packets before a damaged tail and says where the damage is', async () => {
    const whole = readFileSync(join(captures, 'lo-http4.pcap'));
    const cut = join(dir, 'cut.pcap');
    // A record header promising more bytes than any snaplen: a format error at a known offset.
    const bad = Buffer.concat([
      whole,
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f]),
    ]);
    writeFileSync(cut, bad);
    const { page: p } = page(backend());
    const info = p.openPath(cut, 'command-line');
    const st = await finished(p, info.id);
    expect(st.phase).toBe('failed');
    expect(st.error?.code).toBe('capture-format');
    expect(st.error?.offset).toBe(whole.length);
    expect(st.error?.message).toContain('cut.pcap');
    expect(st.progress.packets).toBeGreaterThan(0);
    const rows = value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 100 }));
    expect(rows.rows).toHaveLength(st.progress.packets);
  });

  it('fails a file that is not a capture, with a message naming it', async () => {
    const txt = join(dir, 'notes.pcap');
    writeFileSync(txt, 'these are my notes, not packets\n'.repeat(20));
    const { page: p } = page(backend());
    const info = p.openPath(txt, 'command-line');
    const st = await finished(p, info.id);
    expect(st).toMatchObject({
      phase: 'failed',
      error: { code: 'capture-format' },
      progress: { packets: 0 },
    });
    expect(st.error?.message).toMatch(/notes\.pcap/);
    expect(
      value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 10 })).rows,
    ).toEqual([]);
  });

  it('cancels the index pass and keeps what was indexed', async () => {
    const b = readFileSync(join(root, 'tests/fixtures/cli/web.pcap'));
    const big = join(dir, 'big.pcap');
    writeFileSync(big, Buffer.concat([b, ...Array.from({ length: 400 }, () => b.subarray(24))]));
    const { page: p } = page(backend({ capture: { chunkSize: 4096 } }));
    const info = p.openPath(big, 'command-line');
    await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 1 });
    expect(value(await p.dispatch('capture.cancel', { capture: info.id }))).toBeUndefined();
    const st = await finished(p, info.id);
    expect(st.phase).toBe('cancelled');
    expect(st.progress.packets).toBeGreaterThan(0);
    expect(
      value<RowBatch>(await p.dispatch('packets.rows', { capture: info.id, from: 0, count: 3 })).rows,
    ).toHaveLength(3);
  });
});

describe('captures opened before any page', () => {
  it('go to the first page that connects, with their events; later pages open their own', async () => {
    const b = backend();
    b.park(web);
    b.park(join(dir, 'absent.pcap'));
    await new Promise((r) => setTimeout(r, 300));
    const first = page(b);
    const finished = first.next('capture.finished');
    expect(first.page.adoptParked()).toBe(true);
    expect(first.events[0]).toMatchObject({
      name: 'capture.opened',
      payload: { name: 'web.pcapng', origin: 'command-line' },
    });
    const hello = value<{ captures: CaptureState[]; notices: { message: string }[] }>(
      await first.page.dispatch('app.hello', undefined),
    );
    expect(hello.captures).toHaveLength(1);
    expect(hello.notices.map((n) => n.message)).toEqual([
      `${join(dir, 'absent.pcap')}: cannot open the capture: no such file or directory`,
    ]);
    const id = hello.captures[0].info.id;
    const st =
      hello.captures[0].phase === 'indexing' ? ((await finished) as CaptureState) : hello.captures[0];
    expect(st.phase).toBe('done');
    expect(
      value<RowBatch>(await first.page.dispatch('packets.rows', { capture: id, from: 0, count: 3 })).rows,
    ).toHaveLength(3);
    const second = page(b);
    expect(second.page.adoptParked()).toBe(false);
    expect(await second.page.dispatch('packets.rows', { capture: id, from: 0, count: 3 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('uploads', () => {
  it('streams a file in chunks, opens it under its own name, and removes it on close', async () => {
    const bytes = readFileSync(web);
    const b = backend();
    const { page: p } = page(b);
    const t = value<{ upload: string; chunkSize: number }>(
      await p.dispatch('upload.begin', { name: 'C:\\Users\\me\\web.pcapng', size: bytes.length }),
    );
    expect(
      await p.dispatch('upload.chunk', {
        upload: t.upload,
        offset: 5,
        bytes: new Uint8Array(bytes.subarray(0, 10)),
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const step = 1000;
    const sends = [];
    for (let at = 0; at < bytes.length; at += step)
      sends.push(
        p.dispatch('upload.chunk', {
          upload: t.upload,
          offset: at,
          bytes: new Uint8Array(bytes.subarray(at, at + step)),
        }),
      );
    const results = await Promise.all(sends);
    expect(value<{ received: number }>(results.at(-1)!).received).toBe(bytes.length);
    expect(
      await p.dispatch('upload.chunk', { upload: t.upload, offset: bytes.length, bytes: new Uint8Array(1) }),
    ).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const info = value<{ id: string; name: string; origin: string; path?: string; size: number }>(
      await p.dispatch('upload.finish', { upload: t.upload }),
    );
    expect(info).toMatchObject({ name: 'web.pcapng', origin: 'upload', size: bytes.length });
    expect(info.path).toBeUndefined();
    const st = await finished(p, info.id);
    expect(st.phase).toBe('done');
    const local = openCaptureIndex(web);
    expect(st.progress.packets).toBe((await local.done).packets);
    await local.close();
    const folders = readdirSync(dir).filter((f) => f.startsWith('wirescope-uploads-'));
    const uploaded = folders
      .flatMap((f) => readdirSync(join(dir, f)).map((u) => join(dir, f, u, 'web.pcapng')))
      .filter(existsSync);
    expect(uploaded).toHaveLength(1);
    await p.dispatch('capture.close', { capture: info.id });
    expect(existsSync(uploaded[0])).toBe(false);
  });

  it("names an uploaded file's damage by the file's own name, not the upload's temp path", async () => {
    const whole = readFileSync(join(captures, 'lo-http4.pcap'));
    const bytes = whole.subarray(0, whole.length - 7); // the last record loses its tail
    const { page: p } = page(backend());
    const t = value<{ upload: string }>(
      await p.dispatch('upload.begin', { name: 'class-demo.pcap', size: bytes.length }),
    );
    await p.dispatch('upload.chunk', { upload: t.upload, offset: 0, bytes: new Uint8Array(bytes) });
    const info = value<{ id: string }>(await p.dispatch('upload.finish', { upload: t.upload }));
    const st = await finished(p, info.id);
    expect(st.phase).toBe('done');
    const warnings = st.summary?.warnings ?? [];
    expect(warnings.map((w) => w.message).join('\n')).toMatch(
      /^class-demo\.pcap: truncated last packet record/,
    );
    expect(warnings.some((w) => w.message.includes('wirescope-uploads-'))).toBe(false);
  });

  it('removes every uploaded file when the backend closes', async () => {
    const own = mkdtempSync(join(tmpdir(), 'wirescope-backend-close-'));
    const b = new Backend({ shell: 'serve', version: 'test', uploadDir: own });
    const { page: p } = page(b);
    const t = value<{ upload: string }>(await p.dispatch('upload.begin', { name: 'x.pcap', size: 10 }));
    await p.dispatch('upload.chunk', { upload: t.upload, offset: 0, bytes: new Uint8Array(5) });
    expect(readdirSync(own)).toHaveLength(1);
    await b.close();
    expect(readdirSync(own)).toEqual([]);
  });

  it('refuses to finish a short upload, and aborting removes the partial file', async () => {
    const { page: p } = page(backend());
    const t = value<{ upload: string }>(await p.dispatch('upload.begin', { name: 'x.pcap', size: 100 }));
    await p.dispatch('upload.chunk', { upload: t.upload, offset: 0, bytes: new Uint8Array(40) });
    expect(await p.dispatch('upload.finish', { upload: t.upload })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'Upload of x.pcap: 40 of 100 bytes received.' },
    });
    expect(value(await p.dispatch('upload.abort', { upload: t.upload }))).toBeUndefined();
    expect(
      await p.dispatch('upload.chunk', { upload: t.upload, offset: 40, bytes: new Uint8Array(1) }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('coloring rules', () => {
  it("has a style for every rule the contract names (the sequence diagram's colours)", () => {
    expect(Object.keys(COLOR_STYLES).sort()).toEqual([...COLOR_RULES].sort());
  });

  const files = readdirSync(captures).filter((f) => /\.(pcap|pcapng)$/.test(f));
  const known = new Set(allDissectors.map((d) => d.fields.$proto.abbrev));

  /**
   * Every frame of every capture: the rule tshark --color names (its colorfilters: Wireshark's
   * defaults, or `rules` written into a profile of our own) against the rule `packets.rows` answers.
   */
  async function compareWithTshark(rules: readonly ColoringRule[] | null) {
    const env: Record<string, string> = {};
    if (rules) {
      const dir = mkdtempSync(join(tmpdir(), 'wirescope-colorfilters-'));
      writeFileSync(join(dir, 'colorfilters'), formatColorfilters(rules));
      env.WIRESHARK_CONFIG_DIR = dir;
    }
    const enabled = (rules ?? DEFAULT_COLORING).filter((r) => r.enabled);
    const { page: p } = page(backend());
    const out = {
      mismatches: [] as string[],
      analysisDiffers: [] as string[],
      compared: 0,
      skipped: 0,
      seen: new Set<string>(),
    };
    for (const f of files) {
      const file = join(captures, f);
      const info = p.openPath(file, 'command-line');
      const st = await finished(p, info.id);
      const ts = tsharkFields(
        file,
        ['frame.coloring_rule.name', 'frame.protocols', 'tcp.analysis.flags'],
        ['--color'],
        env,
      );
      const got: (string | null)[] = [];
      for (let from = 0; from < st.progress.packets; from += 2000) {
        const batch = value<RowBatch>(
          await p.dispatch('packets.rows', {
            capture: info.id,
            from,
            count: 2000,
            ...(rules ? { coloring: coloringFilters(rules) } : {}),
          }),
        );
        got.push(...batch.rows.map((r) => (r.color === null ? null : enabled[r.color].name)));
      }
      expect(got.length, f).toBe(ts.length);
      ts.forEach(([name, protocols, analysis], i) => {
        const want = name || null;
        // A rule naming a protocol Wirescope does not dissect yet (SMB, HTTP on any port) cannot
        // match; the row falls through to the next rule, as in Wireshark without that dissector.
        const missing = protocols.split(':').filter((x) => !known.has(x));
        const wanted = want ? DEFAULT_COLORING.find((r) => r.name === want) : undefined;
        if (
          want !== got[i] &&
          missing.length > 0 &&
          (!wanted || wanted.filter.split(/[^a-z0-9_.]+/).some((w) => missing.includes(w)))
        ) {
          out.skipped++;
          return;
        }
        // Bad TCP follows the TCP dissector's sequence analysis; where that analysis itself differs
        // from tshark's, the difference belongs to the dissector (its own differential test).
        if ((want === 'Bad TCP') !== (got[i] === 'Bad TCP') && (analysis === '') === (got[i] === 'Bad TCP')) {
          out.analysisDiffers.push(`${f} #${i + 1}`);
          return;
        }
        if (want !== got[i]) out.mismatches.push(`${f} #${i + 1}: tshark ${want}, wirescope ${got[i]}`);
        if (want) out.seen.add(want);
        out.compared++;
      });
      await p.dispatch('capture.close', { capture: info.id });
    }
    return out;
  }

  it.skipIf(!!tsharkMissing)(
    `Wireshark's defaults match tshark --color frame by frame (${files.length} captures) ${tsharkMissing}`,
    async () => {
      const r = await compareWithTshark(null);
      expect(r.mismatches).toEqual([]);
      expect(r.compared).toBeGreaterThan(100);
      expect(r.skipped).toBeLessThan(r.compared / 5);
      expect(r.analysisDiffers.length, r.analysisDiffers.join(', ')).toBeLessThan(r.compared / 100);
    },
  );

  it.skipIf(!!tsharkMissing)(
    `rules of one's own (a colorfilters profile for tshark) match tshark --color ${tsharkMissing}`,
    async () => {
      const rule = (name: string, filter: string, enabled = true): ColoringRule => ({
        name,
        filter,
        fg: '#000000',
        bg: '#ffcc00',
        enabled,
      });
      const own = [
        rule('Off', 'ip', false),
        rule('Opening SYN', 'tcp.flags.syn == 1 && tcp.flags.ack == 0'),
        rule('Big', 'frame.len > 1000'),
        rule('Web ports', 'tcp.port in {80, 443, 8000..8080}'),
        rule('ARP or broadcast', 'arp.opcode == 2 || eth.dst == ff:ff:ff:ff:ff:ff'),
        rule('v6 payload', 'ipv6 && (tcp.len > 0 || udp.length > 8)'),
        rule('Loopback', 'ip.addr == 127.0.0.0/8'),
        rule('Echo', 'icmp.type == 8 or icmpv6.type == 128'),
      ];
      const r = await compareWithTshark(own);
      expect(r.mismatches).toEqual([]);
      expect(r.compared).toBeGreaterThan(100);
      expect(r.skipped).toBe(0);
      // Each enabled rule colours something, so each is really compared.
      expect([...r.seen].sort()).toEqual(
        own
          .filter((x) => x.enabled)
          .map((x) => x.name)
          .sort(),
      );
    },
  );
});
