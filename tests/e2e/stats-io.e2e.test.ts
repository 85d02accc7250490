// The I/O graph with several lines, as a teacher uses it: each line its own display filter and
// unit (packets/s or bytes/s) with its colour in the legend, an invalid filter named with its
// line, a drag across the time axis zooms in (Reset goes back), and a click on a line's point
// goes to that interval's first packet the line's filter keeps (checked against tshark -Y).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { tree, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });

function tsharkFirst(filter: string, from: number, to: number): number {
  const out = execFileSync(
    tsharkPath,
    [
      '-n',
      '-r',
      mixedPcap,
      '-Y',
      `${filter} && frame.time_relative >= ${from} && frame.time_relative < ${to}`,
      '-T',
      'fields',
      '-e',
      'frame.number',
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] },
  ).trim();
  return Number(out.split('\n')[0] || 0);
}

describe.skipIf(!!chromiumMissing)(`I/O graph lines ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    // As projected in a classroom.
    await b.page.setViewportSize({ width: 1920, height: 1080 });
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Statistics' }).click();
    await region(b).getByRole('button', { name: 'I/O graph', exact: true }).click();
    await region(b)
      .getByRole('img', { name: /per second/ })
      .waitFor();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('draws one line per filter, packets and bytes on their own axes, with a legend', async () => {
    await region(b).getByLabel('Interval', { exact: true }).selectOption({ label: '100 ms' });
    const f1 = region(b).getByLabel('Line 1 display filter');
    await f1.fill('tcp');
    await f1.press('Enter');
    await region(b).getByRole('button', { name: 'Add line' }).click();
    const f2 = region(b).getByLabel('Line 2 display filter');
    await f2.fill('udp');
    await f2.press('Enter');
    await region(b).getByLabel('Line 2 unit').selectOption('bytes');
    const svg = region(b).getByRole('img', { name: /per second/ });
    await expect
      .poll(() => svg.getAttribute('aria-label'))
      .toBe('Packets and bytes per second, 100 ms intervals');
    await expect.poll(() => region(b).getByTestId('io-line-2').count()).toBe(1);
    expect(await region(b).locator('.io-swatch').count()).toBe(2);
    await screenshot(b.page, 'stats-io-lines');
    expect(b.errors).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)(
    `a click on the TCP line goes to the first TCP packet of that interval ${tsharkMissing}`,
    async () => {
      const summary = (await region(b).getByTestId('io-summary').textContent()) ?? '';
      const intervals = Number(/in (\d+) intervals/.exec(summary)?.[1]);
      expect(intervals).toBeGreaterThan(10);
      const hit = region(b).getByTestId('io-hit');
      const box = (await hit.boundingBox())!;
      // The TCP burst is at 1.3–1.4 s and is the packets axis' highest point: the top of the graph.
      const x = (box.width * 1.35) / (intervals * 0.1);
      await hit.hover({ position: { x, y: 3 } });
      const want = tsharkFirst('tcp', 1.3, 1.4);
      expect(want).toBeGreaterThan(0);
      await expect
        .poll(() => region(b).getByTestId('io-readout').textContent())
        .toMatch(
          new RegExp(`^1\\.3 s: line 1 \\(tcp\\) 10 packets \\(100/s\\) — click to go to packet ${want}$`),
        );
      await hit.click({ position: { x, y: 3 } });
      await expect
        .poll(() => tree(b.page).getAttribute('aria-label'))
        .toBe(`Layers and fields of packet ${want}`);
    },
  );

  it('zooms into a dragged time range and back', async () => {
    const hit = region(b).getByTestId('io-hit');
    const box = (await hit.boundingBox())!;
    await b.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await b.page.mouse.down();
    await b.page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
    await b.page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await b.page.mouse.up();
    await expect
      .poll(() => region(b).getByTestId('io-summary').textContent())
      .toMatch(/showing 0\.\d s – 1\.\d s$/);
    await screenshot(b.page, 'stats-io-lines-zoomed');
    await region(b).getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => region(b).getByTestId('io-summary').textContent()).not.toMatch(/showing/);
  });

  it('names the line whose filter is wrong, and draws again once it is fixed', async () => {
    const f2 = region(b).getByLabel('Line 2 display filter');
    await f2.fill('udp.port ==');
    await f2.press('Enter');
    await expect.poll(() => region(b).getByRole('alert').textContent()).toMatch(/^Line 2: /);
    await screenshot(b.page, 'stats-io-lines-error');
    await f2.fill('udp.port == 53');
    await f2.press('Enter');
    await expect.poll(() => region(b).getByRole('alert').count()).toBe(0);
    await region(b).getByRole('button', { name: 'Remove line 2' }).click();
    await expect.poll(() => region(b).getByTestId('io-line-2').count()).toBe(0);
    await b.page.getByRole('radio', { name: 'Dark' }).click();
    await region(b).getByRole('button', { name: 'Add line' }).click();
    const f2b = region(b).getByLabel('Line 2 display filter');
    await f2b.fill('udp');
    await f2b.press('Enter');
    await expect.poll(() => region(b).getByTestId('io-line-2').count()).toBe(1);
    await screenshot(b.page, 'stats-io-lines-dark');
    expect(b.errors).toEqual([]);
  });
});
