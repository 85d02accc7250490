import { describe, expect, it } from 'vitest';
import { Engine, type Dissector } from './engine';
import { defineFields } from './fields';
import { fieldsText } from './format';
import { Session, type FrameMeta } from './packet';

// Two toy protocols exercise the loop itself: a link layer with a 1-byte type and a 1-byte length,
// and a payload that reads two u16s. Real dissectors have their own tests.
const L = defineFields(
  't_link',
  'Test Link',
  { osi: 2, tcpip: 'link' },
  {
    type: { name: 'Type', type: 'u8', base: 'hex' },
    len: { name: 'Length', type: 'u8' },
    'flags.hi': { name: 'High', type: 'bool', mask: 0x80 },
  },
);
const P = defineFields(
  't_pay',
  'Test Payload',
  { osi: 4, tcpip: 'transport' },
  {
    a: { name: 'A', type: 'u16' },
    b: { name: 'B', type: 'u16' },
  },
);
const link: Dissector = {
  fields: L,
  in: { link: 9999 },
  dissect(c, p) {
    const type = c.u8(L.type);
    c.bits(L['flags.hi'], type, c.pos - 1, 1);
    const len = c.u8(L.len);
    if (p.cols) p.columns.info = `type ${type}`;
    return { next: { table: 't.type', key: type, end: 2 + len } };
  },
};
const pay: Dissector = {
  fields: P,
  in: { 't.type': 0x81 },
  dissect(c) {
    c.u16(P.a);
    c.u16(P.b);
    return {};
  },
};

function frame(bytes: number[], origlen = bytes.length): [Uint8Array, FrameMeta] {
  return [
    Uint8Array.from(bytes),
    { number: 1, tsSec: 10, tsNsec: 5, caplen: bytes.length, origlen, linktype: 9999, ifid: 0 },
  ];
}

describe('Engine', () => {
  const engine = new Engine([link, pay]);

  it('walks link → table → payload and records ranges', () => {
    const [d, f] = frame([0x81, 4, 0, 1, 0, 2]);
    const r = engine.dissect(d, f, new Session(), true, true);
    expect(r.protocols).toEqual(['frame', 't_link', 't_pay']);
    const payload = r.layers[2];
    expect(payload.items.map((i) => [i.abbrev, i.value, i.offset, i.length])).toEqual([
      ['t_pay.a', 1, 2, 2],
      ['t_pay.b', 2, 4, 2],
    ]);
    const hi = r.layers[1].items.find((i) => i.abbrev === 't_link.flags.hi')!;
    expect(hi.value).toBe(true);
    expect(hi.label).toBe('1... .... = High: True');
    expect(r.layers[1].headerLength).toBe(2);
    expect(r.columns.info).toBe('type 129');
  });

  it('falls back to data for an unknown key', () => {
    const [d, f] = frame([0x01, 3, 9, 9, 9]);
    const r = engine.dissect(d, f, new Session(), true, false);
    expect(r.protocols).toEqual(['frame', 't_link', 'data']);
    expect(r.layers[2].items[0].value).toEqual(Uint8Array.from([9, 9, 9]));
  });

  it('marks a layer that runs past its declared end as malformed, keeping what it read', () => {
    const [d, f] = frame([0x81, 2, 0, 1, 0, 2]);
    const r = engine.dissect(d, f, new Session(), true, true);
    const payload = r.layers[2];
    expect(payload.malformed).toBe(true);
    expect(payload.items[0].abbrev).toBe('t_pay.a');
    expect(payload.experts[0].message).toMatch(/needed 2 bytes at offset 4, layer ends at 4/);
    expect(r.protocols).toContain('_ws.malformed');
  });

  it('calls a snaplen cut truncated, not malformed', () => {
    const [d, f] = frame([0x81, 4, 0, 1, 0], 6);
    const r = engine.dissect(d, f, new Session(), true, true);
    expect(r.layers[2].truncated).toBe(true);
    expect(r.layers[2].malformed).toBe(false);
  });

  it('keeps a dissector bug inside the frame', () => {
    const bug: Dissector = {
      fields: P,
      in: { link: 9998 },
      dissect: () => {
        throw new TypeError('boom');
      },
    };
    const e = new Engine([bug]);
    const [d, f] = frame([1, 2]);
    const r = e.dissect(d, { ...f, linktype: 9998 }, new Session(), true, true);
    expect(r.layers[1].malformed).toBe(true);
    expect(r.layers[1].experts[0].message).toContain('boom');
  });

  it('formats frame times as tshark does', () => {
    const [d, f] = frame([0x81, 4, 0, 1, 0, 2]);
    const s = new Session();
    engine.dissect(d, f, s, false, false);
    const r = engine.dissect(d, { ...f, number: 2, tsSec: 11, tsNsec: 4 }, s, true, false);
    const rel = r.layers[0].items.find((i) => i.abbrev === 'frame.time_relative')!;
    expect(
      fieldsText(
        { abbrev: '', name: '', type: 'rel_time', base: 'none', mask: 0, proto: 'frame' },
        rel.value,
      ),
    ).toBe('0.999999999');
  });
});
