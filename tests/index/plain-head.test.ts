// The application pass's plain head (shared/dissectors/plain-head.ts) reads Ethernet and IP
// headers in place of their dissectors. Whatever it takes, `Engine.index` must leave the same
// first pass (layers, experts' severity, malformed, messages) and the same PacketInfo (addresses,
// ports, stream) as the dissectors do. Held to it on real frames from the fixtures, each also
// changed at the places the head's conditions look at: TTL, the multicast control block, the IP
// lengths and flags, the EtherType, the next header, padding and trailers, the snap length.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { Session, type FrameMeta } from '../../shared/dissect/packet';
import type { Engine } from '../../shared/dissect/engine';
import { createEngine } from '../../shared/dissectors';
import { seededRandom } from '../../electron/labs/tcp-udp/udp-relay';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';
import { relinkedMixed } from './support';
import { metaOf } from '../support/dissect-file';

interface Frame {
  meta: FrameMeta;
  data: Uint8Array;
}

function framesOf(path: string): Frame[] {
  return framesOfBytes(new Uint8Array(readFileSync(path)));
}

function framesOfBytes(bytes: Uint8Array): Frame[] {
  const out: Frame[] = [];
  const reader = createReader({
    packet: (p) => out.push({ meta: metaOf(p), data: p.data.slice() }),
  });
  try {
    reader.push(bytes);
    reader.end();
  } catch {
    // A capture damaged part way (the corpus has some): the frames before the damage.
  }
  return out;
}

/** Where a link type puts the IP packet, and its EtherType or address family (-1: none). */
function linkOf(linktype: number): { ip: number; type: number; family: number } | null {
  switch (linktype) {
    case 1:
      return { ip: 14, type: 12, family: -1 };
    case 113:
      return { ip: 16, type: 14, family: -1 };
    case 276:
      return { ip: 20, type: 0, family: -1 };
    case 0:
    case 108:
      return { ip: 4, type: -1, family: 0 };
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return { ip: 0, type: -1, family: -1 };
    default:
      return null;
  }
}

/** One change at a place the head's conditions read, for any link type it reads. */
function mutate(f: Frame, rnd: () => number): Frame {
  const link = linkOf(f.meta.linktype);
  if (!link) return f;
  let d = f.data.slice();
  const meta = { ...f.meta };
  const pick = Math.floor(rnd() * 12);
  const ip = link.ip;
  const v6 = d.length > ip && d[ip] >> 4 === 6;
  const byte = () => Math.floor(rnd() * 256);
  switch (pick) {
    case 0: // TTL / hop limit, often low
      if (d.length > ip + 8) d[ip + (v6 ? 7 : 8)] = rnd() < 0.7 ? Math.floor(rnd() * 6) : byte();
      break;
    case 1: // destination in 224.0.0.x, a multicast group, or anywhere
      if (d.length > ip + 19 && !v6) {
        d[ip + 16] = rnd() < 0.5 ? 224 : byte();
        d[ip + 17] = rnd() < 0.5 ? 0 : byte();
        d[ip + 18] = rnd() < 0.5 ? 0 : byte();
      }
      break;
    case 2: // IPv4 total length or IPv6 payload length
      if (d.length > ip + 6) {
        const at = ip + (v6 ? 4 : 2);
        const was = (d[at] << 8) | d[at + 1];
        const now = rnd() < 0.5 ? Math.max(0, was + Math.floor(rnd() * 9) - 4) : byte() * 256 + byte();
        d[at] = now >> 8;
        d[at + 1] = now & 0xff;
      }
      break;
    case 3: // flags and fragment offset, version and header length
      if (d.length > ip + 7) {
        if (rnd() < 0.5) d[ip + (v6 ? 0 : 6)] = byte();
        else d[ip] = rnd() < 0.5 ? 0x40 | Math.floor(rnd() * 16) : byte();
      }
      break;
    case 4: // EtherType or address family
      if (link.type >= 0 && d.length > link.type + 2) {
        const types = [0x0800, 0x86dd, 0x8100, 0x0806, 0x05dc, 0x0400, 0x0004];
        const t = types[Math.floor(rnd() * types.length)];
        d[link.type] = t >> 8;
        d[link.type + 1] = t & 0xff;
      } else if (link.family >= 0 && d.length >= 4) {
        const v = [2, 24, 28, 30, 0x0800, 0x86dd, 7, 0x02000000][Math.floor(rnd() * 8)];
        new DataView(d.buffer).setUint32(0, v, rnd() < 0.5);
      }
      break;
    case 5: // protocol / next header
      if (d.length > ip + 9)
        d[ip + (v6 ? 6 : 9)] = [6, 17, 1, 58, 59, 0, 44, 43, byte()][Math.floor(rnd() * 9)];
      break;
    case 6: {
      // padding to 60 bytes, zero or not
      if (d.length < 60) {
        const padded = new Uint8Array(60);
        padded.set(d);
        if (rnd() < 0.3) padded[59] = 1 + Math.floor(rnd() * 255);
        d = padded;
      }
      break;
    }
    case 7: {
      // a trailer (maybe an FCS) after the packet
      const n = 1 + Math.floor(rnd() * 8);
      const longer = new Uint8Array(d.length + n);
      longer.set(d);
      for (let i = d.length; i < longer.length; i++) longer[i] = rnd() < 0.5 ? 0 : byte();
      d = longer;
      break;
    }
    case 8: // cut by the snap length
      d = d.slice(0, Math.max(0, d.length - 1 - Math.floor(rnd() * 40)));
      break;
    case 9: // IPv4 options where there were none
      if (!v6 && d.length > ip) d[ip] = 0x40 | (5 + Math.floor(rnd() * 3));
      break;
    case 10: // random byte among the first 60 (link header included)
      if (d.length) d[Math.floor(rnd() * Math.min(60, d.length))] = byte();
      break;
    default: // unchanged
      break;
  }
  meta.caplen = d.length;
  meta.origlen = pick === 8 ? f.meta.origlen : d.length;
  return { meta, data: d };
}

/** What `index` leaves that a record or a message could read. */
function firstPass(engine: Engine, f: Frame, session: Session) {
  const r = engine.index(f.data, f.meta, session, true);
  const p = engine.lastInfo!;
  const layers = [];
  for (let k = 0; k < r.depth; k++) {
    layers.push([r.protos[k], r.offsets[k], r.ends[k], r.sources[k]]);
  }
  return {
    layers,
    severity: r.severity,
    malformed: r.malformed,
    messages: (r.messages ?? []).map((m) => ({ ...m })),
    protocols: p.protocols.join(':'),
    dl: [p.dlSrcAt, p.dlDstAt, p.dlData === null],
    net: [p.netType, p.netSrc ? [...p.netSrc] : null, p.netDst ? [...p.netDst] : null],
    transport: [p.ptype, p.srcport, p.dstport, p.stream],
  };
}

function compare(frames: Frame[]): number {
  const withHead = createEngine();
  let taken = 0;
  const head = withHead.head!;
  withHead.head = {
    read(data, frame, p, r) {
      const h = head.read(data, frame, p, r);
      if (h) taken++;
      return h;
    },
  };
  const without = createEngine();
  without.head = null;
  const a = new Session();
  const b = new Session();
  a.revisits = b.revisits = false;
  for (const f of frames) {
    const x = firstPass(withHead, f, a);
    const y = firstPass(without, f, b);
    expect(x, `frame ${f.meta.number}`).toEqual(y);
    a.lastVisited = b.lastVisited = f.meta.number;
    a.endFrame();
    b.endFrame();
  }
  return taken;
}

describe('plain head = Ethernet and IP dissectors', () => {
  const files = capturesUnder(join(repoRoot, 'tests/fixtures/captures'));
  const ethernet = files
    .map((file) => ({ file, frames: framesOf(file) }))
    .filter((c) => c.frames.some((f) => f.meta.linktype === 1));

  it('finds Ethernet captures', () => {
    expect(ethernet.length).toBeGreaterThan(5);
  });

  let taken = 0;
  for (const { file, frames } of ethernet) {
    const name = file.split('/').slice(-1)[0];
    it(`${name}: as captured`, () => {
      taken += compare(frames);
    });
    it(`${name}: each frame changed where the head looks`, () => {
      const rnd = seededRandom(name.length * 7919 + frames.length);
      compare(frames.map((f) => (f.meta.linktype === 1 ? mutate(f, rnd) : f)));
    });
  }

  it('took plain frames', () => {
    expect(taken).toBeGreaterThan(100);
  });
});

describe('plain head = Linux cooked, BSD loopback and raw IP link dissectors with IP', () => {
  const others = [...capturesUnder(join(repoRoot, 'tests/fixtures')), ...capturesUnder(corpusDir)]
    .map((file) => ({ name: file.split('/').slice(-1)[0], frames: framesOf(file) }))
    .filter((c) => c.frames.some((f) => f.meta.linktype !== 1 && linkOf(f.meta.linktype)));
  const madeUp = [
    { name: 'lo-mixed as SLL', frames: framesOfBytes(relinkedMixed(113)) },
    { name: 'lo-mixed as SLL2', frames: framesOfBytes(relinkedMixed(276)) },
  ];

  it('finds captures of each of those link types', () => {
    const types = new Set(others.flatMap((c) => c.frames.map((f) => f.meta.linktype)));
    for (const t of [0, 101, 113, 228, 229, 276]) expect(types.has(t), `link type ${t}`).toBe(true);
  });

  let taken = 0;
  for (const { name, frames } of [...others, ...madeUp]) {
    it(`${name}: as captured`, () => {
      taken += compare(frames);
    });
    it(`${name}: each frame changed where the head looks`, () => {
      const rnd = seededRandom(name.length * 104729 + frames.length);
      compare(frames.map((f) => mutate(f, rnd)));
    });
  }

  it('took plain frames of them', () => {
    expect(taken).toBeGreaterThan(100);
  });

  it('takes the frames it is meant to, and leaves the rest', () => {
    const base = framesOf(join(repoRoot, 'tests/fixtures/captures/lo-http4.pcap')).find(
      (f) => f.data.length > 54 && f.data[23] === 6,
    )!;
    const engine = createEngine();
    const seen = (change: (d: Uint8Array) => Uint8Array, origlen?: number) => {
      const d = change(base.data.slice());
      const meta = { ...base.meta, caplen: d.length, origlen: origlen ?? d.length };
      let read = false;
      const head = engine.head!;
      engine.head = {
        read(data, frame, p, r) {
          const h = head.read(data, frame, p, r);
          read = h !== null;
          return h;
        },
      };
      engine.index(d, meta, new Session());
      engine.head = head;
      return read;
    };
    expect(seen((d) => d)).toBe(true);
    expect(seen((d) => ((d[22] = 4), d))).toBe(false); // "Time To Live" only 4
    expect(seen((d) => ((d[30] = 224), (d[31] = 0), (d[32] = 0), d))).toBe(false); // LNCB
    expect(seen((d) => d, base.data.length + 10)).toBe(false); // cut by the snap length
    expect(seen((d) => Uint8Array.of(...d, 0, 0, 0, 0))).toBe(false); // a trailer
    expect(seen((d) => ((d[20] = 0x20), d))).toBe(false); // more fragments
  });
});
