// Opening a capture, as a person does it: named on the command line, chosen with the file picker
// (uploaded in chunks), dropped on the window; the progress bar while indexing, and Esc to stop.
// Rows are compared with tshark where it is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { dropCapture, grid, rowAt, uploadCapture, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap, repeatCapture, TempDir, webPcapng } from './support/captures';
import { startServe, type Served } from './support/serve';

describe.skipIf(!!chromiumMissing)(`open a capture ${chromiumMissing}`, () => {
  describe('from the command line', () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([mixedPcap]);
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('lists every packet, one grid row per packet, and says how many', async () => {
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('32');
      await expect.poll(() => b.page.getByTestId('status-packets').textContent()).toBe('Packets: 32');
      // The rows' text comes in a request of its own after the count: busy placeholders until then.
      await expect.poll(async () => (await visibleRows(b.page)).length).toBeGreaterThan(10);
      const rows = await visibleRows(b.page);
      expect(rows.map((r) => r[0])).toEqual(rows.map((_, i) => String(i + 1)));
      await expect.poll(() => b.page.title()).toBe('lo-mixed.pcap — Wirescope');
      await screenshot(b.page, 'open-command-line');
      expect(b.errors).toEqual([]);
    });

    it.skipIf(!!tsharkMissing)(
      `shows the columns Wireshark shows once the pass is done (tshark -2) ${tsharkMissing}`,
      async () => {
        const want = tsharkFields(
          mixedPcap,
          [
            'frame.number',
            '_ws.col.Source',
            '_ws.col.Destination',
            '_ws.col.Protocol',
            'frame.len',
            '_ws.col.Info',
          ],
          ['-2'],
        );
        const rows = await visibleRows(b.page);
        for (const r of rows) {
          const w = want[Number(r[0]) - 1];
          expect([r[0], r[2], r[3], r[4], r[5], r[6]]).toEqual([w[0], w[1], w[2], w[3], w[4], w[5]]);
        }
      },
    );

    it('selects the first packet at once, so the details and bytes are never blank', async () => {
      await expect.poll(() => rowAt(b.page, 1).getAttribute('aria-selected')).toBe('true');
      await expect.poll(() => b.page.getByRole('tree').getByRole('treeitem').count()).toBeGreaterThan(3);
    });
  });

  describe('from the page: file picker and drag-and-drop', () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe();
      b = await openBrowser(served.url);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('starts on a screen that says how to open a capture', async () => {
      await expect.poll(() => b.page.getByRole('heading', { name: 'Open a capture' }).isVisible()).toBe(true);
      await expect(b.page.getByRole('button', { name: 'Choose a capture file…' }).isVisible()).resolves.toBe(
        true,
      );
      await screenshot(b.page, 'open-start-screen');
    });

    it('uploads a file chosen with the picker and lists its packets', async () => {
      await uploadCapture(b.page, webPcapng);
      await waitLoaded(b.page);
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('36');
      await expect
        .poll(() => b.page.locator('.status-file').textContent())
        .toMatch(/^web\.pcapng · 4\.\d KB$/);
      await expect.poll(async () => (await visibleRows(b.page)).length).toBeGreaterThan(0);
      const rows = await visibleRows(b.page);
      expect(rows[0].slice(0, 4)).toEqual(['1', '0.000000000', '127.0.0.1', '127.0.0.1']);
      await screenshot(b.page, 'open-upload');
    });

    it('opens a dropped file in place of the open one', async () => {
      await dropCapture(b.page, mixedPcap);
      await expect.poll(() => b.page.locator('.status-file').textContent()).toMatch(/^lo-mixed\.pcap/);
      await waitLoaded(b.page);
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('32');
      expect(b.errors).toEqual([]);
    });
  });

  describe('a large capture: progress, a growing list, Esc', () => {
    const tmp = new TempDir();
    const big = tmp.file('big-mixed.pcap');
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      // A million real frames (lo-mixed's 32, over and over): the pass takes long enough to watch.
      repeatCapture(mixedPcap, 1_000_000, big);
      served = await startServe([big]);
      b = await openBrowser(served.url);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
      tmp.remove();
    });

    it('shows progress with rows already listed, and Esc stops the pass keeping what was read', async () => {
      const bar = b.page.getByRole('progressbar');
      await bar.waitFor({ timeout: 30_000 });
      await expect.poll(() => rowAt(b.page, 1).getAttribute('data-frame'), { timeout: 30_000 }).toBe('1');
      await screenshot(b.page, 'open-progress');
      await b.page.keyboard.press('Escape');
      await bar.waitFor({ state: 'detached', timeout: 30_000 });
      const notice = b.page.getByRole('status').filter({ hasText: 'Stopped reading big-mixed.pcap' });
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/read so far are listed/);
      const count = Number(await grid(b.page).getAttribute('aria-rowcount'));
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(1_000_000);
      await expect
        .poll(() => b.page.getByTestId('status-packets').textContent())
        .toBe(`Packets: ${count.toLocaleString('en-US')}`);
      await screenshot(b.page, 'open-cancelled');
      expect(b.errors).toEqual([]);
    });
  });
});
