import { describe, expect, it } from 'vitest';
import { valueContext } from './filter-memory';

describe('valueContext', () => {
  it('finds the field and the value typed so far after a comparison', () => {
    expect(valueContext('http.host == ', 13)).toEqual({ field: 'http.host', prefix: '', start: 13 });
    expect(valueContext('tcp && ip.addr==10.0', 20)).toEqual({ field: 'ip.addr', prefix: '10.0', start: 16 });
    expect(valueContext('http.host eq "exa', 17)).toEqual({ field: 'http.host', prefix: '"exa', start: 13 });
    expect(valueContext('tcp.port != 8', 13)).toEqual({ field: 'tcp.port', prefix: '8', start: 12 });
  });

  it('is null where no value is being typed', () => {
    expect(valueContext('tcp.port', 8)).toBeNull();
    expect(valueContext('tcp.port == 80 ', 15)).toBeNull();
    expect(valueContext('http.host == "a" and ', 21)).toBeNull();
    expect(valueContext('frame.len equals', 16)).toBeNull();
  });

  it('reads only up to the caret', () => {
    expect(valueContext('udp.port == 53 or dns', 14)).toEqual({ field: 'udp.port', prefix: '53', start: 12 });
  });
});
