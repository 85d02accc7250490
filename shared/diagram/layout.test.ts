import { describe, expect, it } from 'vitest';
import type { Message } from '../messages/messages';
import { endpoint } from '../messages/roles';
import { geometry } from './geometry';
import { arrowLabel, caption, messageColorRule, tcpKind } from './labels';
import { autoPxPerSecond, gapText, layoutDiagram, rowOfFrame, rowsInView } from './layout';
import { allLifelines, lifelines, moveLifeline } from './lifelines';
import { clipText, textWidth } from './text';

const C = endpoint(new Uint8Array([10, 0, 0, 1]), 50000);
const S = endpoint(new Uint8Array([10, 0, 0, 2]), 80);
const C2 = endpoint(new Uint8Array([10, 0, 0, 1]), 50001);
const R = endpoint(new Uint8Array([10, 0, 0, 53]), 53);

let frame = 0;
function msg(p: Partial<Message> & { t: number; dir?: 0 | 1 }): Message {
  const f = p.frame ?? ++frame;
  const dir = p.dir ?? 0;
  const a = p.from ?? C;
  const b = p.to ?? S;
  const sec = Math.floor(p.t);
  return {
    id: `${f}:${p.level ?? 'transport'}:0`,
    level: p.level ?? 'transport',
    frame: f,
    frames: p.frames ?? [f],
    time: { sec, nsec: Math.round((p.t - sec) * 1e9) },
    relative: p.t.toFixed(6),
    stream: p.stream ?? 'tcp:0',
    direction: dir,
    from: dir === 0 ? a : b,
    to: dir === 0 ? b : a,
    fromRole: p.fromRole ?? (dir === 0 ? 'Client' : 'Server'),
    toRole: p.toRole ?? (dir === 0 ? 'Server' : 'Client'),
    protocol: p.protocol ?? 'TCP',
    label: p.label ?? '',
    detail: p.detail ?? '',
    ...(p.flags !== undefined ? { flags: p.flags } : {}),
    ...(p.ackOnly !== undefined ? { ackOnly: p.ackOnly } : {}),
    ...(p.length !== undefined ? { length: p.length } : {}),
    ...(p.marks !== undefined ? { marks: p.marks } : {}),
  };
}

function tcp(t: number, dir: 0 | 1, flags: string, label: string, length = 0): Message {
  return msg({
    t,
    dir,
    flags,
    label,
    length,
    ackOnly: length === 0 && flags === 'ACK',
  });
}

/** A small HTTP exchange: handshake, request, response, close, as messages.ts makes them. */
function httpExchange(): Message[] {
  frame = 0;
  return [
    tcp(0, 0, 'SYN', '[SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128'),
    tcp(0.0001, 1, 'SYN, ACK', '[SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460'),
    tcp(0.0002, 0, 'ACK', '[ACK] Seq=1 Ack=1 Win=502 Len=0'),
    tcp(0.001, 0, 'PSH, ACK', '[PSH, ACK] Seq=1 Ack=1 Win=502 Len=86', 86),
    { ...msg({ t: 0.001, frame: 4, level: 'application', protocol: 'HTTP', label: 'GET /page.txt' }) },
    tcp(0.0011, 1, 'ACK', '[ACK] Seq=1 Ack=87 Win=509 Len=0'),
    tcp(0.003, 1, 'PSH, ACK', '[PSH, ACK] Seq=1 Ack=87 Win=509 Len=188', 188),
    tcp(0.0031, 1, 'PSH, ACK', '[PSH, ACK] Seq=189 Ack=87 Win=509 Len=404', 404),
    {
      ...msg({
        t: 0.0031,
        frame: 7,
        dir: 1,
        level: 'application',
        protocol: 'HTTP',
        label: '200 OK (text/plain)',
        frames: [6, 7],
      }),
    },
    tcp(5.0031, 0, 'FIN, ACK', '[FIN, ACK] Seq=87 Ack=593 Win=501 Len=0'),
    tcp(5.0032, 1, 'FIN, ACK', '[FIN, ACK] Seq=593 Ack=88 Win=509 Len=0'),
    tcp(5.0033, 0, 'ACK', '[ACK] Seq=88 Ack=594 Win=501 Len=0'),
  ];
}

describe('lifelines', () => {
  it('one per socket, clients on the left, in order of first appearance, named by role', () => {
    frame = 0;
    const ms = [
      msg({ t: 0, from: C, to: R, toRole: 'Resolver', stream: 'udp:0', protocol: 'UDP' }),
      msg({ t: 1, from: C2, to: S, stream: 'tcp:0' }),
    ];
    expect(allLifelines(ms).map((l) => [l.title, l.address])).toEqual([
      ['Client', '10.0.0.1:50000'],
      ['Client', '10.0.0.1:50001'],
      ['Resolver', '10.0.0.53:53'],
      ['Server', '10.0.0.2:80'],
    ]);
  });

  it('per host: one lifeline per address, roles joined', () => {
    frame = 0;
    const back = msg({ t: 0, from: S, to: C2, fromRole: 'Client', toRole: 'Server' });
    const ms = [msg({ t: 0, from: C, to: S }), back];
    const ls = allLifelines(ms, 'host');
    expect(ls.map((l) => [l.id, l.role])).toEqual([
      ['10.0.0.1', 'Client / Server'],
      ['10.0.0.2', 'Server / Client'],
    ]);
  });

  it('hides, renames and reorders as the person asked', () => {
    frame = 0;
    const ms = [msg({ t: 0, from: C, to: R, toRole: 'Resolver' }), msg({ t: 1, from: C2, to: S })];
    const ids = allLifelines(ms).map((l) => l.id);
    const order = moveLifeline(ids, S.text, 0);
    expect(order).toEqual([S.text, C.text, C2.text, R.text]);
    const ls = lifelines(ms, { hidden: [C2.text], names: { [R.text]: 'DNS' }, order });
    expect(ls.map((l) => l.title)).toEqual(['Server', 'Client', 'DNS']);
    // Messages with a hidden end are not drawn.
    const d = layoutDiagram(ms, { level: 'transport', hidden: [C2.text] });
    expect(d.rows.map((r) => r.message.to.text)).toEqual([R.text]);
  });
});

describe('rows', () => {
  it('even spacing: one row each, notes between', () => {
    const ms = httpExchange();
    const d = layoutDiagram(ms, {
      level: 'transport',
      spacing: 'even',
      rowHeight: 40,
      noteHeight: 30,
      top: 0,
    });
    expect(d.rows).toHaveLength(10);
    const ys = d.rows.map((r) => r.y);
    // Rows are 40 apart except where a note (30) sits between them.
    const steps = ys.slice(1).map((y, i) => y - ys[i]);
    expect(steps).toEqual([40, 40, 70, 40, 40, 40, 70, 40, 40]);
    expect(d.notes.map((n) => n.note.text)).toEqual([
      'TCP 3-way handshake',
      'Connection established',
      'Connection termination',
    ]);
    // Each note sits above the message it comes before.
    expect(d.notes[1].y).toBeLessThan(d.rows[3].y);
    expect(d.notes[1].y).toBeGreaterThan(d.rows[2].y);
    expect(d.gaps).toEqual([]);
  });

  it('time spacing: pauses stretch rows; a long idle gap is compressed and marked with its length', () => {
    const ms = httpExchange();
    const d = layoutDiagram(ms, {
      level: 'transport',
      spacing: 'time',
      rowHeight: 40,
      noteHeight: 30,
      gapHeight: 24,
      top: 0,
    });
    expect(d.gaps).toHaveLength(1);
    expect(d.gaps[0].seconds).toBeCloseTo(5, 3);
    expect(gapText(d.gaps[0].seconds)).toBe('5.0 s');
    // The 5 s pause costs one marked break, not 5 s at the scale of the bursts.
    const fin = d.rows.findIndex((r) => r.message.flags === 'FIN, ACK');
    expect(d.rows[fin].y - d.rows[fin - 1].y).toBeCloseTo(40 + 24 + 30, 6);
    // Rows never come closer than a row, and keep time order.
    for (let i = 1; i < d.rows.length; i++) expect(d.rows[i].y - d.rows[i - 1].y).toBeGreaterThanOrEqual(40);
    // A longer pause between exchanges stretches more than a burst.
    const gapReq = d.rows[3].y - d.rows[2].y; // 0.8 ms pause (and a note)
    const burst = d.rows[2].y - d.rows[1].y; // 0.1 ms
    expect(gapReq - 30).toBeGreaterThan(burst);
  });

  it('pixels per second: the 90th-percentile pause under a second is one row', () => {
    frame = 0;
    const ms = [0, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.109, 9.109].map((t) =>
      msg({ t }),
    );
    expect(autoPxPerSecond(ms, 50)).toBeCloseTo(50 / 0.1, 6);
    expect(autoPxPerSecond([ms[0]], 50)).toBe(0);
  });

  it('application level: what the protocols said, the notes that matter there', () => {
    const d = layoutDiagram(httpExchange(), { level: 'application', spacing: 'even' });
    expect(d.rows.map((r) => r.message.label)).toEqual(['GET /page.txt', '200 OK (text/plain)']);
    expect(d.rows.map((r) => [r.from, r.to])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(d.notes.map((n) => n.note.text)).toEqual(['Connection established']);
  });

  it('both levels: each application message right after its segment, grouped with the segments it came from', () => {
    const d = layoutDiagram(httpExchange(), { level: 'both', spacing: 'even', rowHeight: 40, top: 0 });
    const labels = d.rows.map((r) => (r.message.level === 'application' ? r.message.label : r.message.frame));
    expect(labels).toEqual([1, 2, 3, 4, 'GET /page.txt', 5, 6, 7, '200 OK (text/plain)', 8, 9, 10]);
    const ok = d.rows[8];
    const seg6 = d.rows[6];
    expect(ok.group).toEqual({ y0: seg6.y, y1: ok.y });
  });

  it('finds rows in view and the row of a frame (binary search)', () => {
    const d = layoutDiagram(httpExchange(), {
      level: 'both',
      spacing: 'even',
      rowHeight: 10,
      noteHeight: 10,
      top: 0,
    });
    const [lo, hi] = rowsInView(d.rows, d.rows[3].y, d.rows[6].y);
    expect([lo, hi]).toEqual([3, 7]);
    expect(rowOfFrame(d.rows, 4)).toBe(3);
    // Frame 6 only carried part of the response: at the application level its row is the response.
    const app = layoutDiagram(httpExchange(), { level: 'application' });
    expect(rowOfFrame(app.rows, 6)).toBe(1);
    expect(rowOfFrame(app.rows, 3)).toBe(-1);
  });

  it('lays out 10,000 messages in one pass', () => {
    frame = 0;
    const ms: Message[] = [];
    for (let i = 0; i < 10_000; i++)
      ms.push(tcp(i * 0.001, (i % 2) as 0 | 1, 'ACK', `[ACK] Seq=${i} Ack=1 Len=0`));
    const d = layoutDiagram(ms, { level: 'transport' });
    expect(d.rows).toHaveLength(10_000);
    expect(d.rows[9999].y).toBeGreaterThan(d.rows[0].y);
  });
});

describe('labels', () => {
  it('names segments as the chapter does, with relative numbers', () => {
    const ms = httpExchange();
    expect(ms.filter((m) => m.level === 'transport').map(arrowLabel)).toEqual([
      'SYN (seq=0)',
      'SYN-ACK (seq=0, ack=1)',
      'ACK (seq=1, ack=1)',
      'Data 86 bytes (seq=1, ack=1)',
      'ACK (seq=1, ack=87)',
      'Data 188 bytes (seq=1, ack=87)',
      'Data 404 bytes (seq=189, ack=87)',
      'FIN-ACK (seq=87, ack=593)',
      'FIN-ACK (seq=593, ack=88)',
      'ACK (seq=88, ack=594)',
    ]);
    expect(tcpKind(tcp(0, 1, 'RST, ACK', '[RST, ACK] Seq=1 Ack=1 Win=0 Len=0'))).toBe('RST-ACK');
  });

  it('colours as the packet list would', () => {
    const ms = httpExchange();
    expect(messageColorRule(ms[0])).toBe('tcp-syn-fin');
    expect(messageColorRule(ms[2])).toBe('tcp');
    expect(messageColorRule(ms[4])).toBe('http');
    expect(messageColorRule(tcp(0, 1, 'RST, ACK', '[RST, ACK] Seq=1 Ack=1'))).toBe('tcp-rst');
    expect(messageColorRule({ ...ms[3], marks: ['retransmission'] })).toBe('bad-tcp');
    expect(messageColorRule({ ...ms[2], marks: ['window-update'] })).toBe('tcp');
    expect(messageColorRule(msg({ t: 0, protocol: 'DNS', level: 'application', stream: 'udp:0' }))).toBe(
      'udp',
    );
  });

  it('captions say what a step means', () => {
    const ms = httpExchange();
    expect(caption(ms[0])).toBe(
      'The client opens a connection to the server: SYN with its initial sequence number 0 (relative); it proposes a maximum segment size of 1460 bytes, window scaling ×128 and selective acknowledgments.',
    );
    expect(caption(ms[3])).toBe('The client sends 86 bytes of data (seq 1–86, relative).');
    expect(caption(ms[2])).toBe(
      'The client acknowledges every byte before 1 (relative): an ACK without data.',
    );
  });
});

describe('geometry', () => {
  it('columns fit the longest label (export) or share the view (fit)', () => {
    const d = layoutDiagram(httpExchange(), { level: 'transport' });
    const free = geometry(d, { fontSize: 16 });
    expect(free.laneWidth).toBeGreaterThanOrEqual('Data 404 bytes (seq=189, ack=87)'.length * 16 * 0.56);
    const fit = geometry(d, { fontSize: 16, width: 500, fit: true });
    expect(fit.width).toBe(500);
  });
});

describe('text without a DOM', () => {
  it('capitals are wider than lower case; clipping keeps what fits and says it cut', () => {
    expect(textWidth('WWWW', 16)).toBeGreaterThan(textWidth('iiii', 16));
    expect(textWidth('abc', 16, true)).toBeGreaterThan(textWidth('abc', 16));
    expect(clipText('short', 500, 16)).toBe('short');
    const cut = clipText('ServerHello TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 200, 16, true);
    expect(cut.endsWith('\u2026')).toBe(true);
    expect(textWidth(cut, 16, true)).toBeLessThanOrEqual(200);
    expect('ServerHello TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'.startsWith(cut.slice(0, -1))).toBe(
      true,
    );
  });
});
