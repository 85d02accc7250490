import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './suggest';

describe('suggestions', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('tcp.prot', 'tcp.port')).toBe(1);
    expect(editDistance('ip.scr', 'ip.src')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest name, or nothing when none is close', () => {
    const names = ['tcp.port', 'tcp.srcport', 'tcp.dstport', 'udp.port', 'ip.src', 'ip.dst'];
    expect(closest('tcp.prot', names)).toBe('tcp.port');
    expect(closest('TCP.PORT', names)).toBe('tcp.port');
    expect(closest('ip.scr', names)).toBe('ip.src');
    expect(closest('http.request.method', names)).toBeNull();
  });
});
