// Property: whatever the order and sizes of the relay's events (bytes read on either side, bytes
// handed to the other socket in any grouping, ends, passing the ends on), the TcpFlow model
// writes one consistent TCP stream: each side's seq advances by its payload (SYN and FIN one
// each), acknowledgements never pass what the peer sent and never go back, no duplicate pure
// ACKs, less than a window in flight, checksums right, the payload each way exactly the bytes
// read — read back through PcapngWriter and our own pcapng reader. A few runs also go through
// tshark, whose TCP analysis must flag nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapngWriter } from '../../shared/capture/pcapng-writer';
import { TAP_COMMENT } from '../../shared/capture/tap-comment';
import { TAP_LINKTYPE, TcpFlow, parseIp, type Side } from '../../shared/capture/tap-packets';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { checkTcp, followRaw, parsePacket, readCapture } from './tap-helpers';

type Op = { kind: 'data' | 'hand' | 'fin' | 'finHanded'; from: Side; size: number; frac: number };

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('data', 'data', 'hand', 'hand', 'fin', 'finHanded'),
  from: fc.constantFrom<Side>(0, 1),
  size: fc.oneof(
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 4000 }),
    fc.integer({ min: 60000, max: 140000 }),
  ),
  frac: fc.double({ min: 0, max: 1, noNaN: true }),
});

interface Run {
  file: Uint8Array;
  sent: [Buffer, Buffer];
  finished: boolean;
}

/** Plays ops against a TcpFlow the way the relay can produce them, then drains to a full close. */
function play(ops: readonly Op[], isn: [number, number], v6 = false): Run {
  const out: Uint8Array[] = [];
  let id = 0;
  const flow = new TcpFlow({
    client: { addr: parseIp(v6 ? '::1' : '127.0.0.1'), port: 40000 },
    server: { addr: parseIp(v6 ? '::1' : '127.0.0.1'), port: 8080 },
    isn,
    ipId: () => (id = (id + 1) & 0xffff),
    out: (p) => out.push(p),
  });
  const sent: [Buffer[], Buffer[]] = [[], []];
  const read = [0, 0];
  const handed = [0, 0];
  const fin = [false, false];
  const finHanded = [false, false];
  let fill = 0;
  flow.syn();
  flow.connected();
  const step = (o: Op): void => {
    const f = o.from;
    if (o.kind === 'data' && !fin[f]) {
      const b = Buffer.alloc(o.size);
      for (let i = 0; i < b.length; i++) b[i] = (fill + i * 7) & 0xff;
      fill++;
      sent[f].push(b);
      read[f] += b.length;
      flow.data(f, b);
    } else if (o.kind === 'hand' && handed[f] < read[f]) {
      const n = Math.max(1, Math.ceil((read[f] - handed[f]) * o.frac));
      handed[f] += n;
      flow.handed(f, n);
    } else if (o.kind === 'fin' && !fin[f]) {
      fin[f] = true;
      flow.fin(f);
    } else if (o.kind === 'finHanded' && fin[f] && !finHanded[f] && handed[f] === read[f]) {
      finHanded[f] = true;
      flow.finHanded(f);
    }
  };
  for (const o of ops) step(o);
  for (const f of [0, 1] as const) {
    if (handed[f] < read[f]) step({ kind: 'hand', from: f, size: 0, frac: 1 });
    step({ kind: 'fin', from: f, size: 0, frac: 0 });
    step({ kind: 'finHanded', from: f, size: 0, frac: 0 });
  }
  const w = new PcapngWriter();
  const parts = [w.header()];
  for (const p of out)
    parts.push(
      ...w.packet(
        'tap',
        { linktype: TAP_LINKTYPE, name: 'tap' },
        { tsSec: 1_700_000_000, tsNsec: 0, data: p, comments: [TAP_COMMENT] },
      ),
    );
  return {
    file: Buffer.concat(parts),
    sent: [Buffer.concat(sent[0]), Buffer.concat(sent[1])],
    finished: flow.finished,
  };
}

// Server ISN below 0xffffffff, as the tap draws it (electron/live/tap.ts says why: with it the
// handshake ACK carries ack 0, which tshark reads as a duplicate ACK).
const isnArb = fc.tuple(
  fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(0, 2 ** 32 - 1)),
  fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 2 }), fc.constantFrom(0, 2 ** 32 - 2, 2 ** 32 - 3)),
);

describe('TcpFlow: random relay event orders make one consistent stream', () => {
  it('seq/ack arithmetic, window, checksums and payload hold (our reader)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), isnArb, fc.boolean(), (ops, isn, v6) => {
        const run = play(ops, isn, v6);
        const { packets, warnings } = readCapture(run.file);
        expect(warnings).toEqual([]);
        const parsed = packets.map((p) => parsePacket(p.data));
        const { problems, bytes } = checkTcp(parsed);
        expect(problems).toEqual([]);
        const c2s = v6 ? '::1:40000>::1:8080' : '127.0.0.1:40000>127.0.0.1:8080';
        const s2c = v6 ? '::1:8080>::1:40000' : '127.0.0.1:8080>127.0.0.1:40000';
        expect((bytes.get(c2s) ?? Buffer.alloc(0)).equals(run.sent[0])).toBe(true);
        expect((bytes.get(s2c) ?? Buffer.alloc(0)).equals(run.sent[1])).toBe(true);
        expect(run.finished).toBe(true);
        // Exactly two FINs, the first packets SYN, SYN-ACK, ACK; every segment within the MSS.
        expect(parsed.filter((p) => p.flags & 1)).toHaveLength(2);
        expect(parsed.slice(0, 3).map((p) => p.flags)).toEqual([0x02, 0x12, 0x10]);
        for (const p of parsed) expect(p.payload.length).toBeLessThanOrEqual(v6 ? 1440 : 1460);
        // The last packet acknowledges the last FIN: the peer's final seq.
        const last = parsed[parsed.length - 1];
        expect(last.flags).toBe(0x10);
      }),
      { numRuns: 150 },
    );
  });

  const dir = mkdtempSync(join(tmpdir(), 'tap-flow-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!!tsharkMissing)(
    'tshark: no analysis flags, checksums good, follow bytes exact (12 random runs)',
    () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 5, maxLength: 30 }), isnArb, (ops, isn) => {
          const run = play(ops, isn);
          const file = join(dir, 'flow.pcapng');
          writeFileSync(file, run.file);
          // One tshark pass: any analysis flag or a checksum not verified good selects a frame.
          const bad = tsharkFields(
            file,
            ['frame.number', 'ip.checksum.status', 'tcp.checksum.status'],
            [
              '-o',
              'ip.check_checksum:TRUE',
              '-o',
              'tcp.check_checksum:TRUE',
              '-Y',
              'tcp.analysis.flags || ip.checksum.status != 1 || tcp.checksum.status != 1',
            ],
          );
          expect(bad).toEqual([]);
          if (run.sent[0].length + run.sent[1].length) {
            const f = followRaw(file);
            // Node 0 is the client (it sent the SYN).
            expect(f.nodes[0]).toBe('127.0.0.1:40000');
            expect(f.node0.equals(run.sent[0])).toBe(true);
            expect(f.node1.equals(run.sent[1])).toBe(true);
          }
        }),
        { numRuns: 12 },
      );
    },
    120_000,
  );
});
