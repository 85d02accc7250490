import { describe, expect, it } from 'vitest';
import { AddressTable, AddrKind, StringTable } from './intern';

describe('AddressTable', () => {
  it('gives one id per IPv4 address, keyed by value, whatever the high bit', () => {
    const t = new AddressTable();
    const a = t.v4(0x7f000001);
    const b = t.v4(0xc0a80001);
    expect(t.v4(0x7f000001)).toBe(a);
    expect(t.v4(0xc0a80001)).toBe(b);
    expect(a).not.toBe(b);
    expect(t.text(b)).toBe('192.168.0.1');
    expect(t.v4Value(b)).toBe(0xc0a80001);
    expect(t.kind(b)).toBe(AddrKind.ipv4);
    // IPv4 given as bytes lands on the same id as the value.
    expect(t.bytes(AddrKind.ipv4, Uint8Array.of(9, 9, 192, 168, 0, 1), 2, 4)).toBe(b);
  });

  it('interns 255.255.255.255 first of all, and addresses that alternate', () => {
    const t = new AddressTable();
    const bcast = t.v4(0xffffffff);
    expect(bcast).toBeGreaterThanOrEqual(0);
    expect(t.text(bcast)).toBe('255.255.255.255');
    const a = t.v4(0x0a000001);
    const b = t.v4(0x0a000002);
    for (let k = 0; k < 3; k++) {
      expect(t.v4(0x0a000001)).toBe(a);
      expect(t.v4(0x0a000002)).toBe(b);
      expect(t.v4(0xffffffff)).toBe(bcast);
    }
    expect(new Set([bcast, a, b]).size).toBe(3);
  });

  it('interns byte addresses by content and kind, copying the bytes', () => {
    const t = new AddressTable();
    const v6 = new Uint8Array(16);
    v6[15] = 1;
    const id = t.bytes(AddrKind.ipv6, v6);
    v6[15] = 2;
    const other = t.bytes(AddrKind.ipv6, v6);
    expect(other).not.toBe(id);
    expect(t.text(id)).toBe('::1');
    expect(t.text(other)).toBe('::2');
    const mac = Uint8Array.of(0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc);
    const m = t.bytes(AddrKind.ether, mac);
    expect(t.bytes(AddrKind.ether, mac.slice())).toBe(m);
    expect(t.text(m)).toBe('00:1b:21:aa:bb:cc');
    // Same bytes, other kind: another address.
    expect(t.bytes(AddrKind.other, mac)).not.toBe(m);
  });

  it('keeps ids stable while its tables grow past their first sizes', () => {
    const t = new AddressTable();
    const ids: number[] = [];
    const b = new Uint8Array(16);
    for (let k = 0; k < 5000; k++) {
      new DataView(b.buffer).setUint32(12, k);
      ids.push(t.bytes(AddrKind.ipv6, b));
      t.v4(0x0a000000 + k);
    }
    expect(t.size).toBe(10000);
    for (let k = 0; k < 5000; k++) {
      new DataView(b.buffer).setUint32(12, k);
      expect(t.bytes(AddrKind.ipv6, b)).toBe(ids[k]);
    }
    expect(t.v4Value(t.v4(0x0a000000 + 4999))).toBe(0x0a000000 + 4999);
  });

  it('hands entries to another table that then uses the same ids', () => {
    const t = new AddressTable();
    t.v4(0x01020304);
    t.bytes(AddrKind.ether, Uint8Array.of(1, 2, 3, 4, 5, 6));
    const copy = new AddressTable();
    copy.load(t.entriesFrom(0));
    t.v4(0x05060708);
    copy.load(t.entriesFrom(copy.size));
    expect(copy.size).toBe(3);
    for (let id = 0; id < 3; id++) expect(copy.text(id)).toBe(t.text(id));
    expect(copy.text(-1)).toBe('');
  });
});

describe('StringTable', () => {
  it('numbers strings in order of first appearance', () => {
    const s = new StringTable();
    expect(s.id('eth')).toBe(0);
    expect(s.id('tcp')).toBe(1);
    expect(s.id('eth')).toBe(0);
    expect(s.find('udp')).toBe(-1);
    expect(s.text(1)).toBe('tcp');
    const c = new StringTable();
    c.load(s.entriesFrom(0));
    expect(c.find('tcp')).toBe(1);
  });
});
