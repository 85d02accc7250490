// The TCP-vs-UDP lab: its report (counted by our engine from the lab's own capture) equals what
// tshark counts on the same file, in both modes, with simulated loss on the UDP side.
import { oneCaptureLabAtATime } from '../support/live';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent, LiveMode, TransportReport } from '../../shared/contract/api';
import { createLab } from '../../electron/labs/lab';
import { realSources } from '../../electron/labs/sources';
import { seededRandom } from '../../electron/labs/tcp-udp/udp-relay';
import { runningHelpers } from '../../electron/live/capture-helper';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { captureMissing, runLabToFile } from './support';

const dir = mkdtempSync(join(tmpdir(), 'wirescope-tcp-udp-lab-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(runningHelpers()).toBe(0);
});

const F = [
  'frame.time_epoch',
  'frame.len',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.len',
  'tcp.hdr_len',
  'tcp.flags.syn',
  'tcp.flags.fin',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'frame.comment',
];

type Row = Record<string, string>;

function rowsOf(file: string): Row[] {
  return tsharkFields(file, F).map((r) => Object.fromEntries(F.map((f, i) => [f, r[i] ?? ''])));
}

const sum = (rows: Row[], f: (r: Row) => number) => rows.reduce((a, r) => a + f(r), 0);
const durationMs = (rows: Row[]) =>
  rows.length
    ? (Number(rows[rows.length - 1]['frame.time_epoch']) - Number(rows[0]['frame.time_epoch'])) * 1000
    : 0;

function expectTcp(rows: Row[], r: TransportReport, n: number): void {
  const tcp = rows.filter((x) => x['tcp.srcport']);
  const client = tcp[0]['tcp.srcport'];
  expect(r.streams).toEqual(['tcp:0']);
  expect(r.packets).toBe(tcp.length);
  expect(r.bytes).toBe(sum(tcp, (x) => Number(x['frame.len'])));
  expect(r.payload).toBe(sum(tcp, (x) => Number(x['tcp.len'])));
  expect(r.headerBytes).toBe(sum(tcp, (x) => Number(x['tcp.hdr_len'])));
  expect(r.controlPackets).toBe(tcp.filter((x) => x['tcp.len'] === '0').length);
  expect(r.messagesSent).toBe(tcp.filter((x) => x['tcp.srcport'] === client && x['tcp.len'] !== '0').length);
  expect(r.messagesDelivered).toBe(
    tcp.filter((x) => x['tcp.srcport'] !== client && x['tcp.len'] !== '0').length,
  );
  expect(r.messagesSent).toBe(n);
  expect(r.lost).toBe(0);
  // Handshake and teardown are there: a SYN each way, a FIN each way.
  expect(tcp.filter((x) => x['tcp.flags.syn'] === '1').length).toBe(2);
  expect(tcp.filter((x) => x['tcp.flags.fin'] === '1').length).toBe(2);
  expect(r.roundTrips).toBe(1 + n + 1);
  expect(r.durationMs).toBeCloseTo(durationMs(tcp), 2);
}

function expectUdp(rows: Row[], r: TransportReport, n: number, drops: number): void {
  const all = rows.filter((x) => x['udp.srcport']);
  const client = all[0]['udp.srcport'];
  const udp = all.filter((x) => x['udp.srcport'] === client || x['udp.dstport'] === client);
  expect(r.streams).toHaveLength(1);
  expect(r.packets).toBe(udp.length);
  expect(r.bytes).toBe(sum(udp, (x) => Number(x['frame.len'])));
  expect(r.headerBytes).toBe(8 * udp.length);
  expect(r.payload).toBe(sum(udp, (x) => Number(x['udp.length']) - 8));
  expect(r.controlPackets).toBe(0);
  const sent = udp.filter((x) => x['udp.srcport'] === client).length;
  const back = udp.filter((x) => x['udp.dstport'] === client).length;
  expect([r.messagesSent, r.messagesDelivered, r.lost]).toEqual([sent, back, sent - back]);
  expect(sent).toBe(n);
  expect(r.lost).toBe(drops);
  expect(r.roundTrips).toBe(back);
  // No handshake, no teardown: no TCP flags anywhere on the UDP side.
  expect(udp.every((x) => x['tcp.flags.syn'] === '' && x['tcp.flags.fin'] === '')).toBe(true);
  expect(r.durationMs).toBeCloseTo(durationMs(udp), 2);
}

async function runAndCheck(mode: LiveMode): Promise<void> {
  const file = join(dir, `${mode}.pcapng`);
  const n = 8;
  const { ok, events } = await runLabToFile({ lab: 'tcp-udp', mode, messages: n, loss: 40 }, file, {
    random: seededRandom(42),
    udpWaitMs: 150,
  });
  expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  expect(ok).toBe(true);
  const done = events[events.length - 1];
  expect(done.kind).toBe('done');
  const report = done.report!;
  expect(report).toBeDefined();
  const drops = events.filter((e) => e.kind === 'step' && /relay drops a datagram/.test(e.text)).length;
  expect(drops).toBeGreaterThan(0);
  expect(drops).toBeLessThan(n);
  // Honest captions: simulated loss said so; in tap mode, TCP over a relay cannot lose segments.
  expect(events.some((e) => /SIMULATED loss/.test(e.text))).toBe(true);
  if (mode === 'tap') expect(events.some((e) => /cannot lose TCP segments/.test(e.text))).toBe(true);
  checkOrder(events);
  if (tsharkMissing) return;
  const rows = rowsOf(file);
  expectTcp(rows, report.tcp, n);
  expectUdp(rows, report.udp, n, drops);
  if (mode === 'tap')
    expect(rows.filter((x) => /simulated loss/.test(x['frame.comment'])).length).toBe(drops);
}

/** Lab events arrive in order: seq 1, 2, 3 …; times never go back; each message before its echo. */
function checkOrder(events: LabEvent[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  for (let i = 1; i < events.length; i++) expect(events[i].at).toBeGreaterThanOrEqual(events[i - 1].at);
  expect(events[0].kind).toBe('step');
  expect(events.filter((e) => e.kind === 'done')).toHaveLength(1);
  const texts = events.map((e) => `${e.kind} ${e.text}`);
  const sent = texts.indexOf('sent tcp → “message 1 of 8” (14 bytes)');
  const echo = texts.indexOf('received tcp ← “message 1 of 8” (echo)');
  expect(sent).toBeGreaterThan(0);
  expect(echo).toBeGreaterThan(sent);
  expect(texts.findIndex((t) => t.startsWith('sent udp'))).toBeGreaterThan(
    texts.lastIndexOf('received tcp ← “message 8 of 8” (echo)'),
  );
}

describe('TCP vs UDP lab: the report equals tshark’s counts on the same capture', () => {
  it(
    'tap mode (TCP and UDP through the tap’s relays, 40% simulated UDP loss)',
    () => runAndCheck('tap'),
    30_000,
  );

  it.skipIf(!!captureMissing)(
    `capture-helper mode on lo (lab’s own lossy UDP relay)${captureMissing ? ` (${captureMissing})` : ''}`,
    // Retried: see oneCaptureLabAtATime in tests/support/live.ts (packets lost under load, cause open).
    { timeout: 60_000 },
    () => oneCaptureLabAtATime(() => runAndCheck('capture')),
  );

  it('stopped midway: sockets closed, the capture stopped, a last caption says so, no error', async () => {
    const events: LabEvent[] = [];
    let stop: () => void = () => undefined;
    const lab = await createLab(
      { lab: 'tcp-udp', mode: 'tap', messages: 50, paceMs: 20 },
      {
        id: 'stop-test',
        sources: realSources,
        emit: (e) => {
          events.push(e);
          if (e.kind === 'received' && e.text.includes('message 3 of 50')) stop();
        },
      },
    );
    let ended: string | null | undefined;
    await lab.source.start({ data: () => undefined, end: (p) => (ended = p) });
    const running = lab.run();
    await new Promise<void>((r) => (stop = r));
    await lab.stop();
    expect(await running).toBe(false);
    expect(ended).toBeNull();
    expect(events[events.length - 1]).toMatchObject({
      kind: 'step',
      text: 'The lab was stopped before it finished.',
    });
    expect(events.some((e) => e.kind === 'error' || e.kind === 'done')).toBe(false);
    expect(events.filter((e) => e.kind === 'sent').length).toBeLessThan(10);
    await expect(lab.act({ action: 'ping' })).rejects.toThrow(/has ended/);
  }, 30_000);
});
