// Property over every capture of the corpus (the project's fixtures and tcpdump's regression
// captures, many deliberately malformed): follow's bytes per direction are the captured payload
// bytes of that direction in sequence order, each byte position once (retransmissions and
// overlaps never duplicate anything), never reordered, and nothing invented. The only bytes left
// out are those behind a hole nobody acknowledged (tshark keeps them back too), so what follow
// gives is the whole ordered payload or a prefix of it that ends at such a hole. UDP: every
// datagram's payload, in capture order.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpStreamCount, udpStreamCount } from '../../shared/conversations';
import { directionBytes, followTcp, followUdp } from '../../shared/follow/follow';
import { bytesOf, directionOf, framesOf, numberOf, transportLayer } from '../../shared/messages/source';
import { tcpConversation, udpConversation } from '../../shared/conversations';
import type { FrameSource } from '../../shared/index/columns';
import { corpusCaptures, fixtureCaptures, openSource } from './support';

/** Payload byte positions of one TCP direction, first arrival winning; positions from its start. */
function orderedPayload(src: FrameSource, stream: number): { bytes: Uint8Array; breaks: Set<number> }[] {
  const c = tcpConversation(src.session, stream)!;
  const dirs = [new Map<number, number>(), new Map<number, number>()];
  const init: (number | null)[] = [null, null];
  for (const f of framesOf(src, [{ proto: 'tcp', stream }])) {
    const d = src.dissect(f, true, false);
    const t = d && transportLayer(d, 'tcp');
    if (!t) continue;
    const node = directionOf(src.index, c, f);
    const flags = numberOf(t.layer.items, 'tcp.flags');
    const seq = (numberOf(t.layer.items, 'tcp.seq') + (flags & 2 ? 1 : 0)) >>> 0;
    init[node] ??= seq;
    const payload = bytesOf(t.layer.items, 'tcp.payload');
    if (!payload) continue;
    const at = (seq - init[node]!) | 0;
    for (let k = 0; k < payload.length; k++) {
      const pos = at + k;
      if (pos >= 0 && !dirs[node].has(pos)) dirs[node].set(pos, payload[k]);
    }
  }
  return dirs.map((m) => {
    const keys = [...m.keys()].sort((a, b) => a - b);
    const breaks = new Set<number>();
    for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[i - 1] + 1) breaks.add(i);
    return { bytes: Uint8Array.from(keys.map((k) => m.get(k)!)), breaks };
  });
}

function check(src: FrameSource): number {
  let streams = 0;
  for (let s = 0; s < tcpStreamCount(src.session); s++) {
    const got = directionBytes(followTcp(src, s));
    const want = orderedPayload(src, s);
    for (const node of [0, 1] as const) {
      const g = got[node];
      const w = want[node];
      expect(g.length, `tcp stream ${s} node ${node}: more bytes than the capture holds`).toBeLessThanOrEqual(
        w.bytes.length,
      );
      expect(
        Buffer.from(w.bytes.subarray(0, g.length)).equals(Buffer.from(g)),
        `tcp stream ${s} node ${node}`,
      ).toBe(true);
      // Shorter only where the captured bytes stop being contiguous (a hole never acknowledged).
      if (g.length < w.bytes.length)
        expect(w.breaks.has(g.length), `tcp stream ${s} node ${node}: lost bytes`).toBe(true);
    }
    streams++;
  }
  for (let s = 0; s < udpStreamCount(src.session); s++) {
    const c = udpConversation(src.session, s)!;
    const parts: number[][] = [[], []];
    for (const f of framesOf(src, [{ proto: 'udp', stream: s }])) {
      const d = src.dissect(f, true, false);
      const t = d && transportLayer(d, 'udp');
      const b = t && bytesOf(t.layer.items, 'udp.payload');
      if (b) parts[directionOf(src.index, c, f)].push(...b);
    }
    const got = directionBytes(followUdp(src, s));
    expect([...got[0]], `udp stream ${s} node 0`).toEqual(parts[0]);
    expect([...got[1]], `udp stream ${s} node 1`).toEqual(parts[1]);
    streams++;
  }
  return streams;
}

describe('follow: each byte once, in sequence order, nothing invented', () => {
  for (const [name, files] of [
    ['fixtures', fixtureCaptures()],
    ['tcpdump corpus', corpusCaptures()],
  ] as const) {
    it.skipIf(!files.length)(
      `${name} (${files.length} captures)`,
      async () => {
        let streams = 0;
        for (const f of files) {
          let opened: Awaited<ReturnType<typeof openSource>>;
          try {
            opened = await openSource(f);
          } catch {
            continue; // Not a capture our reader accepts (the corpus holds broken files on purpose).
          }
          try {
            streams += check(opened.src);
          } catch (e) {
            throw new Error(`${basename(f)}: ${e instanceof Error ? e.message : String(e)}`);
          } finally {
            opened.close();
          }
        }
        expect(streams).toBeGreaterThan(0);
      },
      600_000,
    );
  }
});
