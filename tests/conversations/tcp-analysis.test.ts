// TCP sequence analysis against tshark 4.0 on real connections edited the way networks damage
// them: a segment lost, duplicated early or late, two segments swapped, three duplicate ACKs and a
// fast retransmission, a zero window probe, a retransmitted SYN, a capture that starts mid-stream,
// and sequence numbers that wrap around 2^32. Each edit is written as a capture, both tshark and
// Wirescope read it, and every TCP field and the Info column must agree on every frame; each case
// also checks that tshark really flags what the edit was meant to cause.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { diffFile, expandFields } from '../tshark/diff-lib';
import { dissectFile } from '../support/dissect-file';
import { fieldColumn } from '../../shared/dissect/query';
import * as b from '../fixtures/l4/craft';
import { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from '../../shared/conversations/seq';

const FIXTURES = join(__dirname, '../../tests/fixtures/l4');
const dir = mkdtempSync(join(tmpdir(), 'wirescope-tcpa-'));
const FIELDS = tsharkMissing ? [] : expandFields(['tcp.*', '_ws.col.Info']).fields;

type Frames = b.Frame[];

function load(name: string): Frames {
  return b.readFrames(join(FIXTURES, name)).frames;
}

function isData(f: b.Frame, sport?: number): boolean {
  const t = b.tcpView(f.data);
  return !!t && t.payloadLength > 0 && (sport === undefined || t.sport === sport);
}

/** A frame at the time halfway between two others. */
function between(f: b.Frame, a: b.Frame, c: b.Frame): b.Frame {
  const ta = a.sec * 1e6 + a.usec;
  const tc = c.sec * 1e6 + c.usec;
  const t = Math.floor((ta + tc) / 2);
  return { ...f, sec: Math.floor(t / 1e6), usec: t % 1e6 };
}

function later(f: b.Frame, base: b.Frame, usec: number): b.Frame {
  const t = base.sec * 1e6 + base.usec + usec;
  return { ...f, sec: Math.floor(t / 1e6), usec: t % 1e6 };
}

/** The same TCP segment with a different sequence number and payload (IPv4 in Ethernet). */
function withPayload(f: b.Frame, seqDelta: number, payload: Uint8Array): b.Frame {
  const t = b.tcpView(f.data)!;
  const hlen = (f.data[t.at + 12] >> 4) * 4;
  const head = f.data.slice(0, t.at + hlen);
  const v = new DataView(head.buffer);
  v.setUint32(t.at + 4, (t.seq + seqDelta) >>> 0);
  v.setUint16(16, t.at - 14 + hlen + payload.length);
  return { ...f, data: b.bytes(head, payload), origlen: undefined };
}

function write(name: string, frames: Frames): string {
  return b.writeFrames(join(dir, name), frames);
}

/** Frames (1-based) where tshark shows a field at all. */
function tsharkFramesWith(file: string, field: string): number[] {
  return tsharkFields(file, [field], ['-2'])
    .map((r, i) => (r[0] ? i + 1 : 0))
    .filter(Boolean);
}

function oursFramesWith(file: string, field: string): number[] {
  return dissectFile(file)
    .frames.map((d, i) => (fieldColumn(d, field) ? i + 1 : 0))
    .filter(Boolean);
}

function agree(file: string): void {
  const d = diffFile(file, FIELDS);
  expect(d.errors).toEqual([]);
  const lines = d.mismatches
    .slice(0, 20)
    .map(
      (m) => `frame ${m.frame} ${m.field}: ours ${JSON.stringify(m.ours)} tshark ${JSON.stringify(m.tshark)}`,
    );
  expect(lines).toEqual([]);
}

describe('sequence number arithmetic', () => {
  it('orders across the 2^32 wrap', () => {
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqLe(5, 5)).toBe(true);
    expect(seqGe(0x7fffffff, 0)).toBe(true);
    expect(seqLt(0x80000001, 0)).toBe(true);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
    expect(seqSub(1, 0xffffffff)).toBe(2);
  });
});

describe.skipIf(!!tsharkMissing)(
  `TCP analysis on edited real connections, against tshark ${tsharkMissing}`,
  () => {
    const v4 = tsharkMissing ? [] : load('tcp-v4.pcap');
    const server = v4.length ? b.tcpView(v4[1].data)!.sport : 0;
    const client = v4.length ? b.tcpView(v4[0].data)!.sport : 0;

    it('a lost segment: previous segment not captured, ACKed unseen segment', () => {
      const serverData = v4.map((f, i) => (isData(f, server) ? i : -1)).filter((i) => i >= 0);
      const drop = serverData[1];
      const file = write(
        'lost.pcap',
        v4.filter((_, i) => i !== drop),
      );
      expect(tsharkFramesWith(file, 'tcp.analysis.lost_segment').length).toBeGreaterThan(0);
      expect(tsharkFramesWith(file, 'tcp.analysis.ack_lost_segment').length).toBeGreaterThan(0);
      expect(oursFramesWith(file, 'tcp.analysis.lost_segment')).toEqual(
        tsharkFramesWith(file, 'tcp.analysis.lost_segment'),
      );
      agree(file);
    });

    it('a segment sent twice at once: retransmission; sent again after its ACK: spurious retransmission', () => {
      const i = v4.findIndex((f, k) => isData(f, server) && k > 5);
      const ack = v4.findIndex(
        (f, k) =>
          k > i &&
          b.tcpView(f.data)!.sport === client &&
          seqGe(b.tcpView(f.data)!.ack, b.tcpView(v4[i].data)!.seq + 1),
      );
      const frames = [...v4];
      frames.splice(ack + 1, 0, later(v4[i], v4[ack], 5));
      frames.splice(i + 1, 0, between(v4[i], v4[i], v4[i + 1]));
      const file = write('dup.pcap', frames);
      expect(tsharkFramesWith(file, 'tcp.analysis.retransmission').length).toBeGreaterThan(0);
      expect(tsharkFramesWith(file, 'tcp.analysis.spurious_retransmission').length).toBeGreaterThan(0);
      agree(file);
    });

    it('two segments swapped: previous segment not captured, then out of order', () => {
      const i = v4.findIndex(
        (f, k) => isData(f, client) && isData(v4[k + 1], client) && b.tcpView(f.data)!.payloadLength > 100,
      );
      const frames = [...v4];
      frames[i] = { ...v4[i + 1], sec: v4[i].sec, usec: v4[i].usec };
      frames[i + 1] = { ...v4[i], sec: v4[i + 1].sec, usec: v4[i + 1].usec };
      const file = write('ooo.pcap', frames);
      expect(tsharkFramesWith(file, 'tcp.analysis.out_of_order')).toEqual([i + 2]);
      expect(oursFramesWith(file, 'tcp.analysis.out_of_order')).toEqual([i + 2]);
      agree(file);
    });

    it('three duplicate ACKs, then the segment they ask for: fast retransmission', () => {
      // A pure ACK from the server whose number a client segment sent before it starts at.
      const k = v4.findIndex((f, n) => {
        const t = b.tcpView(f.data)!;
        return (
          t.sport === server &&
          t.payloadLength === 0 &&
          !(t.flags & 0x007) &&
          v4.slice(0, n).some((g) => isData(g, client) && b.tcpView(g.data)!.seq === t.ack)
        );
      });
      const ackNo = b.tcpView(v4[k].data)!.ack;
      const seg = v4.find((g) => isData(g, client) && b.tcpView(g.data)!.seq === ackNo)!;
      const frames = [...v4];
      frames.splice(
        k + 1,
        0,
        later(v4[k], v4[k], 1),
        later(v4[k], v4[k], 2),
        later(v4[k], v4[k], 3),
        later(seg, v4[k], 4),
      );
      // Keep time moving forward after the inserted frames.
      for (let n = k + 5; n < frames.length; n++) frames[n] = later(frames[n], frames[n], 5);
      const file = write('fastrt.pcap', frames);
      expect(tsharkFramesWith(file, 'tcp.analysis.duplicate_ack').length).toBeGreaterThanOrEqual(3);
      expect(tsharkFramesWith(file, 'tcp.analysis.fast_retransmission')).toEqual([k + 5]);
      const dupNum = tsharkFields(file, ['tcp.analysis.duplicate_ack_num'], ['-2'])
        .map((r) => r[0])
        .filter(Boolean);
      expect(dupNum.slice(0, 3)).toEqual(['1', '2', '3']);
      agree(file);
    });

    it('a zero window probe and its ACK', () => {
      const zw = load('tcp-zerowin.pcap');
      const z = zw.findIndex((f) => {
        const t = b.tcpView(f.data)!;
        return (
          t.payloadLength === 0 && new DataView(f.data.buffer, f.data.byteOffset).getUint16(t.at + 14) === 0
        );
      });
      const zt = b.tcpView(zw[z].data)!;
      // The client's next segment, cut to one byte at the sequence number the zero window acknowledged.
      const c = zw.find(
        (f) =>
          b.tcpView(f.data)!.sport === zt.dport &&
          b.tcpView(f.data)!.payloadLength === 0 &&
          (b.tcpView(f.data)!.flags & 0x17) === 0x10,
      )!;
      const ct = b.tcpView(c.data)!;
      const probe = withPayload(later(c, zw[z], 10), (zt.ack - ct.seq) >>> 0, new Uint8Array([0x7a]));
      const frames = [...zw.slice(0, z + 1), probe, later(zw[z], zw[z], 20), ...zw.slice(z + 1)];
      const file = write('zwp.pcap', frames);
      expect(tsharkFramesWith(file, 'tcp.analysis.zero_window_probe')).toContain(z + 2);
      expect(tsharkFramesWith(file, 'tcp.analysis.zero_window_probe_ack')).toContain(z + 3);
      agree(file);
    });

    it('a retransmitted SYN (same ISN) stays in its stream; a new ISN on the same ports starts a new one', () => {
      const frames = [v4[0], between(v4[0], v4[0], v4[1]), ...v4.slice(1)];
      const file = write('synrt.pcap', frames);
      expect(tsharkFramesWith(file, 'tcp.analysis.retransmission')).toContain(2);
      agree(file);
      const reuse = join(FIXTURES, 'tcp-reuse.pcap');
      const streams = tsharkFields(reuse, ['tcp.stream'], ['-2']).map((r) => Number(r[0]));
      expect(new Set(streams).size).toBe(5);
      expect(dissectFile(reuse).frames.map((d) => Number(fieldColumn(d, 'tcp.stream')))).toEqual(streams);
      expect(tsharkFramesWith(reuse, 'tcp.analysis.reused_ports').length).toBe(2);
    });

    it('a capture that starts in the middle of a connection', () => {
      const file = write('midstream.pcap', v4.slice(8));
      agree(file);
    });

    it('sequence numbers that wrap around 2^32 in both directions', () => {
      const isn = (sport: number): number =>
        b.tcpView(v4.find((f) => b.tcpView(f.data)!.sport === sport)!.data)!.seq;
      // Shift each direction so its sequence numbers cross 2^32 a few kilobytes into the transfer.
      const shiftClient = (0xfffff000 - isn(client)) >>> 0;
      const shiftServer = (0xffffffff - 100 - isn(server)) >>> 0;
      const frames = b.shiftSequences(v4, (sport) =>
        sport === client ? [shiftClient, shiftServer] : [shiftServer, shiftClient],
      );
      const file = write('wrap.pcap', frames);
      const raw = tsharkFields(file, ['tcp.seq_raw'], ['-2']).map((r) => Number(r[0]));
      expect(raw.some((s) => s > 0xffff0000) && raw.some((s) => s < 0x10000)).toBe(true);
      // The wrap changes nothing the analysis sees: the same frames are flagged as in the original.
      expect(tsharkFramesWith(file, 'tcp.analysis.flags')).toEqual(
        tsharkFramesWith(join(FIXTURES, 'tcp-v4.pcap'), 'tcp.analysis.flags'),
      );
      agree(file);
    });
  },
);
