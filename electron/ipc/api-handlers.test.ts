import { describe, expect, it } from 'vitest';
import { VERBS, type ApiResult } from '../../shared/contract/api';
import { Backend } from '../backend/backend';
import { registerApiHandlers, senderRefusal, type InvokeEventLike, type IpcMainLike } from './api-handlers';

/** A stand-in for Electron's ipcMain that records handlers and lets the test invoke them. */
function fakeIpc() {
  const handlers = new Map<string, (e: InvokeEventLike, ...a: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    handle: (ch, fn) => {
      if (handlers.has(ch)) throw new Error(`second handler for ${ch}`);
      handlers.set(ch, fn);
    },
    removeHandler: (ch) => void handlers.delete(ch),
  };
  const invoke = (e: InvokeEventLike, verb: string, ...args: unknown[]) =>
    handlers.get(`wirescope:${verb}`)!(e, ...args) as Promise<ApiResult<unknown>>;
  return { ipc, handlers, invoke };
}

const backend = new Backend({ shell: 'electron', version: 't' });
const page = backend.connect(() => undefined);
const policy = {
  origins: ['app://wirescope', 'http://localhost:5173'],
  pageOf: (id: number) => (id === 7 ? page : null),
};
const frame = (url: string, parent: unknown = null) => ({ url, parent });
const from = (url: string, id = 7, parent: unknown = null): InvokeEventLike => ({
  sender: { id },
  senderFrame: frame(url, parent),
});

describe('IPC sender checks', () => {
  it('accepts only the top frame of our window on the app origin (or the dev server)', () => {
    expect(senderRefusal(from('app://wirescope/index.html'), policy)).toBeNull();
    expect(senderRefusal(from('http://localhost:5173/'), policy)).toBeNull();
    expect(senderRefusal(from('app://wirescope/index.html', 7, {}), policy)).toBe(
      'calls from sub-frames are not accepted',
    );
    expect(senderRefusal(from('app://evil/index.html'), policy)).toBe(
      'calls from app://evil are not accepted',
    );
    expect(senderRefusal(from('https://wirescope/'), policy)).toBe(
      'calls from https://wirescope are not accepted',
    );
    expect(senderRefusal(from('http://localhost:5174/'), policy)).toBe(
      'calls from http://localhost:5174 are not accepted',
    );
    expect(senderRefusal(from('file:///index.html'), policy)).toBe('calls from file:// are not accepted');
    expect(senderRefusal(from('not a url'), policy)).toBe('the calling frame has no valid URL');
    expect(senderRefusal(from('app://wirescope/index.html', 8), policy)).toBe(
      'the caller is not a Wirescope window',
    );
    expect(senderRefusal({ sender: { id: 7 }, senderFrame: null }, policy)).toBe('the calling frame is gone');
  });
});

describe('IPC handlers', () => {
  it('registers every verb once and removes them all', () => {
    const { ipc, handlers } = fakeIpc();
    const off = registerApiHandlers(ipc, policy);
    expect([...handlers.keys()].sort()).toEqual(VERBS.map((v) => `wirescope:${v}`).sort());
    off();
    expect(handlers.size).toBe(0);
  });

  it('refuses a bad sender before looking at its input, and a bad input after the sender passed', async () => {
    const { ipc, invoke } = fakeIpc();
    registerApiHandlers(ipc, policy);
    expect(
      await invoke(from('https://evil.example/'), 'packets.rows', { capture: 'c1', from: 0, count: 1 }),
    ).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'packets.rows: calls from https://evil.example are not accepted.',
      },
    });
    expect(
      await invoke(from('app://wirescope/'), 'packets.rows', { capture: 'c1', from: 0, count: 'all' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(
      await invoke(from('app://wirescope/'), 'packets.rows', { capture: 'c1', from: 0, count: 1 }, 'extra'),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-input', message: 'packets.rows: takes one argument, got 2.' },
    });
    expect(await invoke(from('app://wirescope/'), 'app.hello')).toMatchObject({
      ok: true,
      value: { shell: 'electron' },
    });
    // Paths from a page the desktop did not derive itself: refused even from our own window.
    expect(
      await invoke(from('app://wirescope/'), 'capture.openDropped', { path: '/etc/passwd' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await invoke(from('app://wirescope/'), 'capture.openRecent', { path: '/etc/passwd' }),
    ).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});
