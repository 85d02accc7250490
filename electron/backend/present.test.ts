// app.present: projection on another display is the desktop's (electron/main.ts moves the window;
// that part needs the Electron binary, absent here). The backend side: offered only when the
// shell gives a `present`, called for the asking page with on/off, refused plainly otherwise.
import { describe, expect, it } from 'vitest';
import type { Hello } from '../../shared/contract/api';
import { Backend, type PageSession } from './backend';

describe('app.present', () => {
  it('serve mode: not offered in hello, and refused as unsupported', async () => {
    const b = new Backend({ shell: 'serve', version: 't' });
    const page = b.connect(() => undefined);
    const hello = await page.dispatch('app.hello', undefined);
    expect(hello.ok && (hello.value as Hello).canPresent).toBe(false);
    expect(await page.dispatch('app.present', { on: true })).toMatchObject({
      ok: false,
      error: { code: 'unsupported', message: expect.stringContaining('another display') },
    });
    await b.close();
  });

  it('desktop: offered, and the shell moves the asking page’s window on and off', async () => {
    const calls: [PageSession, boolean][] = [];
    const b = new Backend({
      shell: 'electron',
      version: 't',
      present: async (page, on) => {
        calls.push([page, on]);
        return on ? 'Projector' : null;
      },
    });
    const page = b.connect(() => undefined);
    const hello = await page.dispatch('app.hello', undefined);
    expect(hello.ok && (hello.value as Hello).canPresent).toBe(true);
    expect(await page.dispatch('app.present', { on: true })).toEqual({
      ok: true,
      value: { display: 'Projector' },
    });
    expect(await page.dispatch('app.present', { on: false })).toEqual({ ok: true, value: { display: null } });
    expect(calls).toEqual([
      [page, true],
      [page, false],
    ]);
    expect(await page.dispatch('app.present', { on: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'bad-input' },
    });
    await b.close();
  });
});
