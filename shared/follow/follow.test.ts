// tshark's follow layout on hand-made results (the differential tests in tests/follow hold it to
// tshark on real captures): hex lines of 8 and 16 bytes, offsets counted per node across chunks,
// the gap marker with its NUL, ascii with CR/LF kept and everything else unprintable as '.'.
import { describe, expect, it } from 'vitest';
import { chunkBytes, directionBytes, formatFollow, type FollowChunk, type FollowResult } from './follow';

const ep = (port: number) => ({ address: '10.0.0.1', port, text: `10.0.0.1:${port}` });
const chunk = (node: 0 | 1, bytes: number[], missing = 0): FollowChunk => ({
  node,
  frame: 1,
  bytes: Uint8Array.from(bytes),
  missing,
});
const result = (chunks: FollowChunk[]): FollowResult => ({
  kind: 'tcp',
  stream: 4,
  filter: 'tcp.stream eq 4',
  nodes: [ep(1000), ep(80)],
  chunks,
  cut: 0,
});
const bytes = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('formatFollow', () => {
  it('writes the header tshark writes', () => {
    expect(formatFollow(result([]), 'raw')).toBe(
      '\n' +
        '===================================================================\n' +
        'Follow: tcp,raw\n' +
        'Filter: tcp.stream eq 4\n' +
        'Node 0: 10.0.0.1:1000\n' +
        'Node 1: 10.0.0.1:80\n' +
        '===================================================================\n',
    );
  });

  it('hex: 16 bytes a line, a gap after the eighth, offsets per node across chunks', () => {
    const out = formatFollow(
      result([
        chunk(0, bytes('ABCDEFGH')),
        chunk(1, bytes('0123456789abcdefXY')),
        chunk(0, [0, 0x7f, 0x80, 0x20]),
      ]),
      'hex',
    ).split('\n');
    expect(out.slice(6, 11)).toEqual([
      '00000000  41 42 43 44 45 46 47 48                           ABCDEFGH',
      '\t00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  01234567 89abcdef',
      '\t00000010  58 59                                             XY',
      // tshark drops a trailing space of the text column even when it is a real 0x20 byte.
      '00000008  00 7f 80 20                                       ...',
      '===================================================================',
    ]);
  });

  it('hex offsets are upper-case', () => {
    const big = Array.from({ length: 0xb0 }, () => 0x61);
    const out = formatFollow(result([chunk(0, big)]), 'hex').split('\n');
    expect(out[6 + 10]).toMatch(/^000000A0 {2}/);
  });

  it('ascii: the length, then the text with CR and LF kept and other controls as dots', () => {
    const out = formatFollow(result([chunk(0, bytes('hi\r\n\tok\u00e9')), chunk(1, bytes('yo'))]), 'ascii');
    expect(out.split('\n').slice(6, 11)).toEqual(['8', 'hi\r', '.ok.', '\t2', 'yo']);
  });

  it('a gap is tshark\u2019s marker and its NUL, counted in the chunk length', () => {
    const gap = chunk(1, [], 1448);
    expect(chunkBytes(gap)).toHaveLength(37);
    expect(chunkBytes(gap)[36]).toBe(0);
    const r = result([gap]);
    expect(formatFollow(r, 'ascii')).toContain('\t37\n[1448 bytes missing in capture file].\n');
    expect(formatFollow(r, 'raw')).toContain(
      '\t5b31343438206279746573206d697373696e6720696e20636170747572652066696c655d00\n',
    );
    expect(directionBytes(r)[1]).toHaveLength(0);
  });

  it('directionBytes joins each node\u2019s chunks in order', () => {
    const [a, b] = directionBytes(result([chunk(0, [1, 2]), chunk(1, [9]), chunk(0, [3])]));
    expect([...a]).toEqual([1, 2, 3]);
    expect([...b]).toEqual([9]);
  });
});
