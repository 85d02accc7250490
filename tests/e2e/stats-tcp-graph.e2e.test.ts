// The TCP stream graphs in the Statistics tab, as a person uses them: on a real HTTP download
// with an edited-in retransmission, the time–sequence graph shows one dot per segment of the
// sending side that takes sequence space (payload, SYN, FIN) and a red cross for each segment tshark calls a retransmission; clicking a
// point selects its packet; the round-trip time graph has one point per ACK tshark times
// (tcp.analysis.ack_rtt); throughput is drawn; another stream can be chosen.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { tree, until, waitLoaded } from './support/app';
import { artifactsDir, chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { fixtures } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });
const show = (b: Browser, name: string) => region(b).getByRole('button', { name, exact: true }).click();
const graph = (b: Browser) => region(b).getByRole('img', { name: /graph of tcp\.stream/ });

async function shots(b: Browser, name: string): Promise<void> {
  await screenshot(b.page, name);
  await region(b).screenshot({ path: join(artifactsDir, `${name}-panel.png`) });
}

const file = join(fixtures, 'captures/tcp-analysis-edited.pcap');
const http = join(fixtures, 'http/http-basic.pcap');

describe.skipIf(!!chromiumMissing || !!tsharkMissing)(
  `statistics: TCP stream graphs ${chromiumMissing || tsharkMissing}`,
  () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([file]);
      b = await openBrowser(served.url, { width: 1920, height: 1080 });
      await waitLoaded(b.page);
      await b.page.getByRole('tab', { name: 'Statistics' }).click();
      await show(b, 'TCP graph');
      await until(
        () => graph(b).count(),
        (n) => n > 0,
        'the TCP graph',
      );
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('draws the sender’s segments with tshark’s retransmissions marked; a point selects its packet', async () => {
      // The side that sent the payload (the HTTP server) is graphed.
      const rows = tsharkFields(file, [
        'frame.number',
        'tcp.srcport',
        'tcp.len',
        'tcp.analysis.retransmission',
        'tcp.analysis.fast_retransmission',
        'tcp.analysis.spurious_retransmission',
        'tcp.flags.syn',
        'tcp.flags.fin',
      ]);
      const data = rows.filter((r) => r[1] === '8080' && Number(r[2]) > 0);
      // Dots: the sender's segments that take sequence space (payload, SYN, FIN).
      const drawn = rows.filter(
        (r) =>
          r[1] === '8080' &&
          (Number(r[2]) > 0 || r[6] === '1' || r[6] === 'True' || r[7] === '1' || r[7] === 'True'),
      );
      const retrans = data.filter((r) => r[3] || r[4] || r[5]).map((r) => Number(r[0]));
      expect(retrans.length).toBeGreaterThan(0);
      expect(await graph(b).getAttribute('aria-label')).toMatch(
        /^Time–sequence graph of tcp\.stream 0, .*:8080 to /,
      );
      const dots = await graph(b)
        .locator('.tg-dot')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
      const crosses = await graph(b)
        .locator('.tg-retrans')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
      expect(crosses).toEqual(retrans);
      expect([...dots, ...crosses].sort((x, y) => x - y)).toEqual(drawn.map((r) => Number(r[0])));
      expect(await graph(b).locator('path.tg-ack').getAttribute('d')).toMatch(/^M/);
      expect(await graph(b).locator('path.tg-win').getAttribute('d')).toMatch(/^M/);
      expect(await region(b).getByTestId('tg-summary').textContent()).toContain(
        `${data.length} data segments`,
      );

      const cross = graph(b).locator('.tg-retrans').first();
      const box = (await cross.boundingBox())!;
      await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await expect
        .poll(() => region(b).getByTestId('tg-readout').textContent())
        .toMatch(
          new RegExp(
            `^packet ${retrans[0]}: seq [\\d,]+, [\\d,]+ bytes, retransmission — click to select it$`,
          ),
        );
      await shots(b, 'stats-tcp-seq');
      await b.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect
        .poll(() => tree(b.page).getAttribute('aria-label'))
        .toBe(`Layers and fields of packet ${retrans[0]}`);
      expect(b.errors).toEqual([]);
    });

    it('zooms into a dragged time range; Reset zoom shows the whole connection again', async () => {
      const points = graph(b).locator('.tg-dot, .tg-retrans');
      const all = await points.count();
      const hit = (await region(b).getByTestId('tg-hit').boundingBox())!;
      // The second burst (the retransmission and the rest of the download) is at the right end.
      const y = hit.y + hit.height / 2;
      await b.page.mouse.move(hit.x + hit.width * 0.6, y);
      await b.page.mouse.down();
      await b.page.mouse.move(hit.x + hit.width * 0.8, y, { steps: 4 });
      await b.page.mouse.move(hit.x + hit.width - 1, y, { steps: 4 });
      await b.page.mouse.up();
      await region(b).getByRole('button', { name: 'Reset zoom' }).waitFor();
      const inView = await points.count();
      expect(inView).toBeGreaterThan(0);
      expect(inView).toBeLessThan(all);
      expect(await graph(b).locator('.tg-retrans').count()).toBe(1);
      // Zooming again, into the last pixels of the view, spreads the burst out.
      await b.page.mouse.move(hit.x + hit.width * 0.97, y);
      await b.page.mouse.down();
      await b.page.mouse.move(hit.x + hit.width - 1, y, { steps: 4 });
      await b.page.mouse.up();
      await expect.poll(() => graph(b).locator('.tg-retrans').count()).toBe(1);
      expect(await points.count()).toBeGreaterThan(0);
      await b.page.mouse.move(hit.x + 5, hit.y + 5);
      await shots(b, 'stats-tcp-seq-zoomed');
      await region(b).getByRole('button', { name: 'Reset zoom' }).click();
      await expect.poll(() => points.count()).toBe(all);
      expect(b.errors).toEqual([]);
    });

    it('shows round-trip times (tshark’s ack_rtt of the receiver’s ACKs) and throughput', async () => {
      await show(b, 'Round-trip time');
      const acks = tsharkFields(file, ['frame.number', 'tcp.srcport', 'tcp.analysis.ack_rtt'])
        .filter((r) => r[1] !== '8080' && r[2])
        .map((r) => Number(r[0]));
      expect(acks.length).toBeGreaterThan(0);
      await expect
        .poll(() =>
          graph(b)
            .locator('.tg-dot')
            .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame')))),
        )
        .toEqual(acks);
      await shots(b, 'stats-tcp-rtt');
      await show(b, 'Throughput');
      await expect.poll(() => graph(b).getAttribute('aria-label')).toMatch(/^Throughput graph/);
      expect(await graph(b).locator('path.tg-tput').getAttribute('d')).toMatch(/^M/);
      await shots(b, 'stats-tcp-tput');
      await b.page.getByRole('radio', { name: 'Dark' }).click();
      await show(b, 'Time–sequence');
      await shots(b, 'stats-tcp-seq-dark');
      await b.page.getByRole('radio', { name: 'Light' }).click();
      expect(b.errors).toEqual([]);
    });

    it('graphs another stream when chosen', async () => {
      await b.close();
      await served.close();
      served = await startServe([http]);
      b = await openBrowser(served.url, { width: 1920, height: 1080 });
      await waitLoaded(b.page);
      await b.page.getByRole('tab', { name: 'Statistics' }).click();
      await show(b, 'TCP graph');
      await graph(b).waitFor();
      const select = region(b).getByLabel('TCP stream');
      expect(await select.locator('option').count()).toBe(5);
      await select.selectOption({ value: '3' });
      await expect.poll(() => graph(b).getAttribute('aria-label')).toMatch(/ of tcp\.stream 3, /);
      const want = tsharkFields(
        http,
        ['frame.number'],
        [
          '-Y',
          'tcp.stream == 3 && tcp.srcport == 8080 && (tcp.len > 0 || tcp.flags.syn == 1 || tcp.flags.fin == 1)',
        ],
      ).map((r) => Number(r[0]));
      await expect
        .poll(() =>
          graph(b)
            .locator('.tg-dot, .tg-retrans')
            .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame')))),
        )
        .toEqual(want);
      await shots(b, 'stats-tcp-stream3');
      expect(b.errors).toEqual([]);
    });
  },
);
