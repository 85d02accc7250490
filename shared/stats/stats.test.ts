import { describe, expect, it } from 'vitest';
import { formatSize } from './format';
import { IoStat, parseIoStat } from './io-stat';
import { PhsBuilder } from './phs';
import { parseStat, StatArgError } from './run';

describe('formatSize (Wireshark format_size, SI)', () => {
  it('keeps two significant digits before switching prefix', () => {
    expect(formatSize(0)).toBe('0 bytes');
    expect(formatSize(9999)).toBe('9999 bytes');
    expect(formatSize(10000)).toBe('10 kB');
    expect(formatSize(44079)).toBe('44 kB');
    expect(formatSize(12_345_678)).toBe('12 MB');
  });
});

describe('io,phs', () => {
  it('counts every frame once at each node of its chain; roots sum to the frame count (property)', () => {
    const protos = ['eth', 'ip', 'ipv6', 'tcp', 'udp', 'http', 'data'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const b = new PhsBuilder();
      let bytes = 0;
      const n = 1 + rnd(200);
      for (let i = 0; i < n; i++) {
        const chain = Array.from({ length: 1 + rnd(5) }, () => protos[rnd(protos.length)]);
        const len = 60 + rnd(1400);
        bytes += len;
        b.add(chain, len);
      }
      expect(b.roots.reduce((s, r) => s + r.frames, 0)).toBe(n);
      expect(b.roots.reduce((s, r) => s + r.bytes, 0)).toBe(bytes);
      // A child never holds more than its parent.
      const check = (nodes: typeof b.roots, max: number) => {
        expect(nodes.reduce((s, r) => s + r.frames, 0)).toBeLessThanOrEqual(max);
        for (const c of nodes) check(c.children, c.frames);
      };
      check(b.roots, n);
    }
  });
});

describe('io,stat', () => {
  it('parses tshark arguments and precision', () => {
    expect(parseIoStat('io,stat,1')).toEqual({ intervalUs: 1_000_000, precision: 0, filters: [''] });
    expect(parseIoStat('io,stat,0.25,tcp,,udp')).toEqual({
      intervalUs: 250_000,
      precision: 2,
      filters: ['tcp', '', 'udp'],
    });
    expect(parseIoStat('io,stat,0')).toEqual({ intervalUs: 0, precision: 0, filters: [''] });
    expect(typeof parseIoStat('io,stat,')).toBe('string');
    expect(typeof parseIoStat('io,stat,1,')).toBe('string');
    expect(typeof parseIoStat('io,stat,x')).toBe('string');
    expect(parseIoStat('io,stat,1,SUM(frame.len)frame.len')).toMatch(/not supported/);
  });

  it('rows sum to the totals, whatever the interval (property)', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (const intervalUs of [1000, 100_000, 250_000, 1_000_000, 0, 90_000_000]) {
      const io = new IoStat({ intervalUs, precision: 3, filters: ['', 'odd'] });
      let t = 0;
      let frames = 0;
      let bytes = 0;
      let odd = 0;
      for (let i = 0; i < 500; i++) {
        t += rnd(20_000);
        const len = 40 + rnd(1500);
        io.add(t, len, [true, len % 2 === 1]);
        frames++;
        bytes += len;
        if (len % 2) odd++;
      }
      const rows = io.rows(t);
      expect(rows.reduce((s, r) => s + r.frames[0], 0)).toBe(frames);
      expect(rows.reduce((s, r) => s + r.bytes[0], 0)).toBe(bytes);
      expect(rows.reduce((s, r) => s + r.frames[1], 0)).toBe(odd);
      const text = io.text(t);
      // Every line of the table has the border's width.
      const lines = text.split('\n').filter((l) => l);
      for (const l of lines) expect(l.length).toBe(lines[0].length);
    }
  });
});

describe('-z arguments', () => {
  it('names what is wrong', () => {
    expect(() => parseStat('conv,sctp')).toThrow(/unknown table type "sctp"/);
    expect(() => parseStat('io,phs,tcp.port ==')).toThrow(StatArgError);
    expect(() => parseStat('bogus')).toThrow(/unknown statistic/);
    expect(() => parseStat('io,stat,-1')).toThrow(/io,stat/);
    expect(parseStat('expert,warn').needsTree).toBe(true);
    expect(parseStat('conv,tcp').needsTree).toBe(false);
  });
});
