import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../labs/tcp-udp/udp-relay';
import { Out } from './out';

/** Everything written to an Out, once flushed, as text. */
function written(write: (out: Out) => void): string {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (b: Buffer | string) => parts.push(Buffer.from(b)));
  const out = new Out(stream);
  write(out);
  out.flush();
  return Buffer.concat(parts).toString('utf8');
}

describe('Out', () => {
  it('writes lines around a name exactly as the whole lines, across chunk ends and beyond a chunk', () => {
    const random = seededRandom(7);
    const enc = new TextEncoder();
    const lines: [string, string, string][] = [];
    for (let k = 0; k < 3000; k++) {
      // Mostly short lines, some multi-byte text, a few longer than a 64 KiB chunk.
      const size = k % 500 === 499 ? 70_000 + Math.floor(random() * 1000) : Math.floor(random() * 300);
      const text = Array.from({ length: size }, () => (random() < 0.05 ? 'é→' : 'a')).join('');
      const cut = Math.floor(random() * text.length);
      lines.push([text.slice(0, cut), `tcp:${k}`, text.slice(cut)]);
    }
    const whole = written((out) => {
      for (const [a, name, b] of lines) out.line(a + name + b);
    });
    const around = written((out) => {
      for (const [a, name, b] of lines) {
        const bytes = enc.encode(`xx${a}${b}`);
        const mid = 2 + enc.encode(a).length;
        out.around(bytes, 2, mid, name, bytes.length);
      }
    });
    expect(around.length).toBeGreaterThan(3 * 64 * 1024);
    expect(around).toBe(whole);
  });
});
