import { describe, expect, it } from 'vitest';
import { hasNetAddresses, newPacketInfo, resetPacketInfo, Session, setNetAt } from './packet';

const frame = { number: 1, tsSec: 0, tsNsec: 0, caplen: 40, origlen: 40, linktype: 1, ifid: 0 };

/** An IPv4 header's bytes with source 10.0.0.1 and destination 10.0.0.2 at 12 and 16. */
function header(): Uint8Array {
  const d = new Uint8Array(20);
  d.set([10, 0, 0, 1], 12);
  d.set([10, 0, 0, 2], 16);
  return d;
}

describe('PacketInfo addresses left as offsets', () => {
  it('read as views of the bytes they lie in', () => {
    const d = header();
    const p = newPacketInfo(frame, new Session(), false, false);
    expect(hasNetAddresses(p)).toBe(false);
    setNetAt(p, d, 12, 16, 4);
    expect(hasNetAddresses(p)).toBe(true);
    expect([...p.netSrc!]).toEqual([10, 0, 0, 1]);
    expect([...p.netDst!]).toEqual([10, 0, 0, 2]);
    // Views, not copies: code that reads the header around an address (hopLimit) relies on it.
    expect(p.netSrc!.buffer).toBe(d.buffer);
    expect(p.netSrc!.byteOffset).toBe(12);
    expect(p.netSrc).toBe(p.netSrc);
  });

  it('give way to a layer that sets one address, keeping the other', () => {
    const p = newPacketInfo(frame, new Session(), false, false);
    setNetAt(p, header(), 12, 16, 4);
    p.netDst = new Uint8Array([192, 0, 2, 9]);
    expect(p.netData).toBeNull();
    expect([...p.netSrc!]).toEqual([10, 0, 0, 1]);
    expect([...p.netDst]).toEqual([192, 0, 2, 9]);
  });

  it('are gone after a reset, and views set afterwards are not replaced by old offsets', () => {
    const p = newPacketInfo(frame, new Session(), false, false);
    setNetAt(p, header(), 12, 16, 4);
    void p.netSrc;
    resetPacketInfo(p, { ...frame, number: 2 }, new Session(), false, false);
    expect(p.netSrc).toBeNull();
    expect(p.netDst).toBeNull();
    expect(hasNetAddresses(p)).toBe(false);
    setNetAt(p, header(), 16, 12, 4);
    expect([...p.netSrc!]).toEqual([10, 0, 0, 2]);
  });
});
