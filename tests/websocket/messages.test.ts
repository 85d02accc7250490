// The application messages (sequence-diagram arrows) of the real WebSocket captures: one per
// frame, in the words, with the sender's role; a fragmented message labelled per
// fragment and whole once; compressed messages shown inflated (the full text in the detail,
// checked against what ws-traffic.mjs sent), with context takeover and without.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dissection } from '../../shared/dissect/types';
import { dissectCapture } from './dissect';
import { engineWithStub } from './stub-http';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'websocket');
const LINE = 'The quick brown fox jumps over the lazy dog. ';

function messages(file: string): { label: string; role?: string; detail?: string; frame: number }[] {
  const frames: Dissection[] = dissectCapture(join(DIR, file), [], engineWithStub());
  return frames.flatMap((d) =>
    (d.messages ?? [])
      .filter((m) => m.proto === 'websocket')
      .map((m) => ({ label: m.label, role: m.role, detail: m.detail, frame: d.frame })),
  );
}

describe('WebSocket messages', () => {
  it('ws-basic.pcap: every frame, both directions', () => {
    const ms = messages('ws-basic.pcap');
    const x32 = `${'x'.repeat(32)}…`;
    const echo = (l: string) => [`client ${l}`, `server ${l}`];
    expect(ms.map((m) => `${m.role} ${m.label}`)).toEqual([
      ...echo('WS text "Hello!"'),
      ...echo('WS binary 12 bytes'),
      ...echo(`WS text "${x32}"`),
      'client WS binary 70000 bytes',
      'server WS text "got it"',
      'client WS text fragment (1/3)',
      'client WS continuation (2/3)',
      ...echo('WS text "Hello, fragments!"'),
      'client WS ping',
      'server WS pong',
      'client WS text "one"',
      'client WS text "two"',
      'client WS text "three"',
      'server WS text "one"',
      'server WS text "two"',
      'server WS text "three"',
      ...echo('WS text "héllo wörld ✓"'),
      ...echo('WS close 1000 "bye"'),
    ]);
    // The three corked frames came in one segment: three messages of one frame.
    const one = ms.filter((m) => /"(one|two|three)"/.test(m.label) && m.role === 'client');
    expect(new Set(one.map((m) => m.frame)).size).toBe(1);
  });

  for (const file of ['ws-deflate.pcap', 'ws-nocontext.pcap']) {
    it(`${file}: compressed messages inflated, fragmented one included`, () => {
      const texts = messages(file)
        .filter((m) => m.label.startsWith('WS text "'))
        .map((m) => `${m.role} ${m.detail}`);
      const both = (t: string) => [`client ${t}`, `server ${t}`];
      expect(texts).toEqual([
        ...both(`${LINE}1`),
        ...both(`${LINE}2`),
        ...both(`${LINE}${LINE}3`),
        ...both('not compressed'),
        'client Fragmented and compressed, three parts. (in 3 fragments)',
        'server Fragmented and compressed, three parts.',
        ...both(`${LINE}4`),
      ]);
      const bin = messages(file).filter((m) => m.label.startsWith('WS binary'));
      expect(bin.map((m) => m.label)).toEqual(['WS binary 2000 bytes', 'WS binary 2000 bytes']);
      expect(bin[0].detail).toBe(`${'07'.repeat(256)}…`);
    });
  }
});
