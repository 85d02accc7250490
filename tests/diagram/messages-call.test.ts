// `messages.list` through the backend the app talks to (guards, the index worker), against the
// same messages built directly from the file (what the CLI prints).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiResult, CaptureState, MessageList } from '../../shared/contract/api';
import { buildMessages } from '../../shared/messages/messages';
import { Backend } from '../../electron/backend/backend';
import { withSource } from '../../electron/cli/follow';

const ws = join(import.meta.dirname, '../fixtures/websocket/ws-basic.pcap');
const backend = new Backend({
  shell: 'serve',
  version: 'test',
  uploadDir: mkdtempSync(join(tmpdir(), 'ws-msg-')),
});
afterAll(() => backend.close());

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('messages.list', () => {
  const page = backend.connect(() => undefined);
  const info = page.openPath(ws, 'command-line');
  const done = async () => {
    for (;;) {
      const s = value<CaptureState>(await page.dispatch('capture.state', { capture: info.id }));
      if (s.phase !== 'indexing') return s;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('answers with the messages of the chosen conversations, both levels, as built from the file', async () => {
    await done();
    const got = value<MessageList>(
      await page.dispatch('messages.list', { capture: info.id, streams: ['tcp:0'] }),
    );
    const want = await withSource(ws, [], (src) =>
      buildMessages(src, { streams: [{ proto: 'tcp', stream: 0 }] }),
    );
    expect(got.complete).toBe(true);
    expect(got.conversations).toEqual(want.conversations);
    expect(got.messages).toEqual(want.messages);
    expect(got.messages.filter((m) => m.level === 'transport')).toHaveLength(97);
    const app = value<MessageList>(
      await page.dispatch('messages.list', { capture: info.id, streams: ['tcp:0'], level: 'application' }),
    );
    expect(app.messages.every((m) => m.level === 'application')).toBe(true);
    expect(app.messages[0].label).toBe('GET /chat (Upgrade: websocket)');
  });

  it('with `after`, answers only the messages drawn after that frame: the rest of the same list', async () => {
    await done();
    const all = value<MessageList>(await page.dispatch('messages.list', { capture: info.id, streams: [] }));
    const cut = all.messages[Math.floor(all.messages.length / 2)].frame;
    const tail = value<MessageList>(
      await page.dispatch('messages.list', { capture: info.id, streams: [], after: cut }),
    );
    expect(tail.messages.length).toBeGreaterThan(0);
    expect(tail.messages).toEqual(all.messages.filter((m) => m.frame > cut));
    expect(tail.conversations).toEqual(all.conversations);
  });

  it('refuses what is not a conversation name, and too many at once', async () => {
    expect(await page.dispatch('messages.list', { capture: info.id, streams: ['tcp:x'] })).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: expect.stringContaining('"tcp:x" is not a conversation') },
    });
    expect(
      await page.dispatch('messages.list', {
        capture: info.id,
        streams: Array.from({ length: 65 }, (_, i) => `tcp:${i}`),
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(
      await page.dispatch('messages.list', { capture: info.id, streams: [], level: 'both' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
  });
});
