// Messages over every capture of the corpus (the fixtures and tcpdump's regression captures, many
// malformed on purpose): nothing throws, and every message holds together — unique ids, frames in
// order that include the frame it is drawn at, endpoints and roles those of its conversation in
// its direction, transport messages one per frame of the conversation.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMessages } from '../../shared/messages/messages';
import { framesOf } from '../../shared/messages/source';
import { corpusCaptures, fixtureCaptures, openSource } from '../follow/support';

describe('messages on the whole corpus', () => {
  it('hold together on every capture', async () => {
    let checked = 0;
    for (const f of [...fixtureCaptures(), ...corpusCaptures()]) {
      let opened: Awaited<ReturnType<typeof openSource>>;
      try {
        opened = await openSource(f);
      } catch {
        continue; // Not a capture our reader accepts.
      }
      const { src, close } = opened;
      try {
        const r = buildMessages(src);
        const convs = new Map(r.conversations.map((c) => [c.stream, c]));
        const ids = new Set<string>();
        for (const m of r.messages) {
          const where = `${basename(f)} ${m.id}`;
          expect(ids.has(m.id), where).toBe(false);
          ids.add(m.id);
          expect(m.frames, where).toContain(m.frame);
          expect(
            [...m.frames].sort((a, b) => a - b),
            where,
          ).toEqual(m.frames);
          const c = convs.get(m.stream)!;
          const [from, to] = m.direction === 0 ? [c.a, c.b] : [c.b, c.a];
          const [fr, tr] = m.direction === 0 ? [c.roles.a, c.roles.b] : [c.roles.b, c.roles.a];
          expect([m.from, m.to, m.fromRole, m.toRole], where).toEqual([from, to, fr, tr]);
          expect(m.label.length, where).toBeGreaterThan(0);
        }
        for (const c of r.conversations) {
          const [proto, n] = c.stream.split(':');
          const frames = framesOf(src, [{ proto: proto as 'tcp' | 'udp', stream: Number(n) }]);
          const transport = r.messages.filter((m) => m.level === 'transport' && m.stream === c.stream);
          // Every frame of the conversation, except those whose transport layer sits inside an
          // ICMP error (the stream number is theirs, the segment is not one of the stream's own).
          expect(transport.length, `${basename(f)} ${c.stream}`).toBeLessThanOrEqual(frames.length);
          expect(transport.map((m) => m.frame).every((x) => frames.includes(x))).toBe(true);
        }
        checked++;
      } finally {
        close();
      }
    }
    expect(checked).toBeGreaterThan(100);
  }, 600_000);
});
