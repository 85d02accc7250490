import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../shared/filter/compile';
import '../../../shared/dissectors';
import { combineFilter } from './filter-text';

describe('combineFilter', () => {
  it('joins with the current filter as Wireshark writes it', () => {
    expect(combineFilter('', 'tcp.port == 80', 'only')).toBe('tcp.port == 80');
    expect(combineFilter('ip', 'tcp.port == 80', 'only')).toBe('tcp.port == 80');
    expect(combineFilter('', 'tcp.port == 80', 'and')).toBe('tcp.port == 80');
    expect(combineFilter(' ip ', 'tcp.port == 80', 'and')).toBe('(ip) && (tcp.port == 80)');
    expect(combineFilter('ip', 'udp', 'or')).toBe('(ip) || (udp)');
    expect(combineFilter('', 'udp', 'not')).toBe('!(udp)');
    expect(combineFilter('ip', 'udp', 'not')).toBe('(ip) && !(udp)');
  });

  it('writes filters the filter compiler accepts', () => {
    for (const j of ['only', 'and', 'or', 'not'] as const) {
      const c = compileFilter(combineFilter('ip.src == 10.0.0.1', 'http.host == "a\\"b"', j));
      expect(c.ok).toBe(true);
    }
  });
});
