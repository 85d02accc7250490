// Completing the VALUES of a field in the filter bar: after `http.host == ` the hosts the capture
// holds are offered with their packet counts (checked against tshark -Y), picking one writes it
// as a quoted literal, and Enter shows that many packets; `tcp.port == 8` offers the ports
// starting with 511. Screenshot at 1920×1080.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { webPcapng } from './support/captures';
import { startServe, type Served } from './support/serve';

const frames = (filter: string) =>
  execFileSync(tsharkPath, ['-n', '-r', webPcapng, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .split('\n')
    .filter(Boolean);

describe.skipIf(!!chromiumMissing || !!tsharkMissing)(
  `filter bar value completion ${chromiumMissing}${tsharkMissing}`,
  () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([webPcapng]);
      b = await openBrowser(served.url);
      await b.page.setViewportSize({ width: 1920, height: 1080 });
      await waitLoaded(b.page);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('offers the hosts seen after http.host == , with counts; a pick filters to them', async () => {
      const input = b.page.getByTestId('display-filter');
      await input.click();
      await input.pressSequentially('http.host == ');
      const list = b.page.getByRole('listbox', { name: 'Values of http.host' });
      await list.waitFor();
      const options = await list.getByRole('option').allTextContents();
      expect(options.length).toBeGreaterThan(0);
      for (const o of options) {
        const m = /^(.*) · (\d+) packets?$/.exec(o)!;
        expect(m, o).not.toBeNull();
        expect(Number(m[2]), o).toBe(frames(`http.host == "${m[1]}"`).length);
      }
      await screenshot(b.page, 'filter-values-http-host');
      const first = /^(.*) · /.exec(options[0])![1];
      await input.press('ArrowDown');
      await input.press('Enter');
      await expect.poll(() => input.inputValue()).toBe(`http.host == "${first}"`);
      // Enter applies once the filter is checked valid (as typed by hand).
      await expect.poll(() => input.getAttribute('aria-invalid')).toBe('false');
      await input.press('Enter');
      await expect
        .poll(async () => (await visibleRows(b.page)).map((r) => r[0]))
        .toEqual(frames(`http.host == "${first}"`));
      expect(b.errors).toEqual([]);
    });

    it('offers only the ports starting with what is typed', async () => {
      const input = b.page.getByTestId('display-filter');
      await input.fill('');
      await input.pressSequentially('tcp.port == 511');
      const list = b.page.getByRole('listbox', { name: 'Values of tcp.port' });
      await list.waitFor();
      const ports = (await list.getByRole('option').allTextContents()).map((o) => /^(\d+) · /.exec(o)![1]);
      expect(ports.sort()).toEqual(['51130', '51140']);
      for (const p of ports) expect(p.startsWith('511')).toBe(true);
      await screenshot(b.page, 'filter-values-tcp-port');
      expect(b.errors).toEqual([]);
    });
  },
);
