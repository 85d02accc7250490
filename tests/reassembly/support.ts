// Test support for the TCP reassembly: real TCP byte streams taken from the fixtures (our own
// reader and a small header walk: Ethernet/SLL/null/raw, IPv4/IPv6, TCP), and a driver that feeds
// segments to shared/reassembly/tcp-stream.ts as tcp.ts does, collecting what it delivers.
import { readFileSync } from 'node:fs';
import { createReader } from '../../shared/capture/reader';
import { Session, type PacketInfo } from '../../shared/dissect/packet';
import type { Dissector } from '../../shared/dissect/engine';
import { defineFields } from '../../shared/dissect/fields';
import { NEED_MORE, rebuildPdu, type CutPdu, type PduFraming } from '../../shared/reassembly/pdu-stream';
import {
  PLAIN,
  feedSegment,
  noteAck,
  tcpReassembly,
  type SegmentIn,
} from '../../shared/reassembly/tcp-stream';

/** One direction of a TCP connection: its payload bytes in order and the segments they came in. */
export interface RealStream {
  bytes: Uint8Array;
  /** Segment boundaries as captured: [offset, length) pairs in the byte stream. */
  segments: [number, number][];
}

/** The payload streams of a capture's TCP connections, per direction (address/port tuple), with
 * at least `min` bytes; retransmissions are left out by sequence number. */
export function realStreams(path: string, min = 1): RealStream[] {
  const flows = new Map<
    string,
    { isn: number; bytes: Uint8Array[]; next: number; segs: [number, number][] }
  >();
  const reader = createReader({
    packet(p) {
      const d = p.data;
      let at: number;
      let ethertype: number;
      if (p.linktype === 1) {
        ethertype = (d[12] << 8) | d[13];
        at = 14;
      } else if (p.linktype === 113) {
        ethertype = (d[14] << 8) | d[15];
        at = 16;
      } else return;
      let proto: number;
      let src: string;
      let dst: string;
      let end: number;
      if (ethertype === 0x0800) {
        proto = d[at + 9];
        src = d.subarray(at + 12, at + 16).join('.');
        dst = d.subarray(at + 16, at + 20).join('.');
        end = at + ((d[at + 2] << 8) | d[at + 3]);
        at += (d[at] & 15) * 4;
      } else if (ethertype === 0x86dd) {
        proto = d[at + 6];
        src = Buffer.from(d.subarray(at + 8, at + 24)).toString('hex');
        dst = Buffer.from(d.subarray(at + 24, at + 40)).toString('hex');
        end = at + 40 + ((d[at + 4] << 8) | d[at + 5]);
        at += 40;
      } else return;
      if (proto !== 6 || end > d.length) return;
      const sport = (d[at] << 8) | d[at + 1];
      const dport = (d[at + 2] << 8) | d[at + 3];
      const seq = ((d[at + 4] << 24) | (d[at + 5] << 16) | (d[at + 6] << 8) | d[at + 7]) >>> 0;
      const flags = d[at + 13];
      const payload = d.subarray(at + (d[at + 12] >> 4) * 4, end);
      const key = `${src}:${sport}>${dst}:${dport}`;
      let f = flows.get(key);
      if (flags & 2) {
        flows.set(key, (f = { isn: (seq + 1) >>> 0, bytes: [], next: 0, segs: [] }));
        return;
      }
      if (!f || !payload.length) return;
      const off = (seq - f.isn) >>> 0;
      if (off !== f.next) return; // retransmission or reordering: the stream keeps its first copy
      f.bytes.push(payload.slice());
      f.segs.push([off, payload.length]);
      f.next += payload.length;
    },
  });
  reader.push(new Uint8Array(readFileSync(path)));
  reader.end();
  const out: RealStream[] = [];
  for (const f of flows.values()) {
    if (f.next < min) continue;
    const bytes = new Uint8Array(f.next);
    let o = 0;
    for (const b of f.bytes) {
      bytes.set(b, o);
      o += b.length;
    }
    out.push({ bytes, segments: f.segs });
  }
  return out;
}

/** A test protocol on TCP port 7 (both directions) with a framing given per test. */
export function testProtocol(framing: PduFraming): Dissector {
  return {
    fields: testFields,
    framing,
    dissect: () => ({}),
  };
}
const testFields = defineFields('rtest', 'Reassembly test', { osi: 7, tcpip: 'application' }, {});

/** Fixed-size PDUs; what is left at FIN is one last PDU. */
export const fixedFraming = (size: number): PduFraming => ({
  minLength: 0,
  pduLength: (_d, offset, end) => (end - offset > 0 ? size : NEED_MORE),
  endsAtClose: true,
});

/** 2-byte big-endian length prefix (the prefix included in the PDU), NEED_MORE before both bytes. */
export const prefixFraming: PduFraming = {
  minLength: 0,
  pduLength: (d, offset, end) => (end - offset < 2 ? NEED_MORE : 2 + ((d[offset] << 8) | d[offset + 1])),
};

/** One thing fed to the reassembly: payload bytes of the direction under test, a pure ACK from
 * the peer, or a FIN. */
export type Feed =
  | { kind: 'data'; off: number; length: number; captured: number }
  | { kind: 'ack'; off: number }
  | { kind: 'fin'; off: number };

export interface Delivered {
  pdus: { pdu: CutPdu; frame: number; bytes: Uint8Array }[];
  frames: Uint8Array[];
  session: Session;
}

/** The header bytes before the payload in each fake frame (the payload's offset in its frame). */
export const HDR = 7;

/**
 * Feeds `feeds` for a direction whose byte stream is `bytes` and whose first byte has sequence
 * number `isn`; the SYN was seen (start known). Every frame holds HDR filler bytes then the
 * captured payload, so segments must point into frames at the right place.
 */
export function feedAll(bytes: Uint8Array, isn: number, feeds: readonly Feed[], proto: Dissector): Delivered {
  const session = new Session();
  const frames: Uint8Array[] = [];
  session.frameBytes = (n) => frames[n - 1] ?? null;
  const dispatch = {
    resolve: () => proto,
    dissector: (name: string) => (name === proto.fields.$proto.abbrev ? proto : undefined),
  };
  const p = { session, frame: { number: 0 }, dispatch, visited: false } as unknown as PacketInfo;
  const out: Delivered = { pdus: [], frames, session };
  const peerIsn = 5000;
  for (const f of feeds) {
    const frame = frames.length + 1;
    (p.frame as { number: number }).number = frame;
    const seq = (isn + f.off) >>> 0;
    let cut: readonly CutPdu[];
    if (f.kind === 'ack') {
      frames.push(new Uint8Array(HDR));
      cut = noteAck(p, 1, false, seq) ?? [];
    } else {
      const length = f.kind === 'data' ? f.length : 0;
      const captured = f.kind === 'data' ? f.captured : 0;
      const data = new Uint8Array(HDR + captured).fill(0xee);
      data.set(bytes.subarray(f.off, f.off + captured), HDR);
      frames.push(data);
      const seg: SegmentIn = {
        stream: 1,
        flow1: true,
        seq,
        length,
        captured,
        syn: false,
        fin: f.kind === 'fin',
        rst: false,
        ack: peerIsn,
        sport: 40000,
        dport: 7,
        start: isn,
        fromClient: true,
      };
      cut = feedSegment(p, seg, data, HDR, true);
    }
    if (cut === PLAIN) throw new Error('a framed direction gave a plain frame');
    for (const pdu of cut)
      out.pdus.push({ pdu, frame, bytes: pdu.data.slice(pdu.offset, pdu.offset + pdu.length) });
  }
  return out;
}

/** The record of PDUs the first pass kept for later visits, per frame. */
export function records(session: Session) {
  const ra = session.peek<ReturnType<typeof tcpReassembly>>('tcp.reassembly');
  return ra?.frames ?? new Map();
}

/** A PDU rebuilt from the frames its segments name (what a later visit does). */
export function rebuilt(d: Delivered, pdu: CutPdu): Uint8Array | null {
  return rebuildPdu(pdu, d.session.frameBytes);
}
