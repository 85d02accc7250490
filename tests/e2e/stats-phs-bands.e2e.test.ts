// The protocol hierarchy drawn as nested layer bands, as projected in a classroom (1920×1080):
// every band's share of the bytes (and packets) equals tshark -z io,phs's figures, the OSI toggle
// spreads the same protocols over seven rows, and a band applies its protocol as the filter (the
// list then holds as many packets as tshark -Y selects).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { webPcapng } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });
const bands = (b: Browser) => region(b).locator('g.phs-band');

/** tshark -z io,phs as path → [frames, bytes]. */
function tsharkPhs(file: string): Map<string, [number, number]> {
  const text = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', 'io,phs'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const out = new Map<string, [number, number]>();
  const stack: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2]);
    out.set(stack.join('/'), [Number(m[3]), Number(m[4])]);
  }
  return out;
}

const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;

describe.skipIf(!!chromiumMissing)(`protocol hierarchy bands ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([webPcapng]);
    b = await openBrowser(served.url);
    await b.page.setViewportSize({ width: 1920, height: 1080 });
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Statistics' }).click();
    await bands(b).first().waitFor();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it.skipIf(!!tsharkMissing)(
    `each band is its protocol's share of tshark -z io,phs ${tsharkMissing}`,
    async () => {
      const want = tsharkPhs(webPcapng);
      const [, total] = want.get('eth')!;
      const [allFrames] = want.get('eth')!;
      const read = async () =>
        new Map(
          await bands(b).evaluateAll((gs) =>
            gs.map((g) => [g.getAttribute('data-path')!, g.getAttribute('aria-label')!] as [string, string]),
          ),
        );
      // Under an ICMP error the app draws the quoted datagram (ip/udp/data); tshark 4.0 does not
      // dissect it as top-level items (the same excuse as lo-icmp-unreach.pcap io,phs in
      // tests/stats/stats-vs-tshark.test.ts). Everything else must be tshark's, band for band.
      const quoted = (p: string) => p.startsWith('eth/ip/icmp/');
      let got = await read();
      expect([...got.keys()].filter((p) => !quoted(p)).sort()).toEqual(
        [...want.keys()].filter((p) => !quoted(p)).sort(),
      );
      expect(got.has('eth/ip/icmp/ip')).toBe(true);
      for (const [path, [, bytes]] of want) {
        if (quoted(path)) continue;
        expect(got.get(path), path).toBe(
          `${path.split('/').pop()}: ${pct(bytes, total)} of bytes — apply as filter`,
        );
      }
      await screenshot(b.page, 'stats-phs-bands');
      await region(b).getByRole('button', { name: 'Packets', exact: true }).click();
      await expect.poll(async () => (await read()).get('eth/ip/tcp')).toMatch(/of packets/);
      got = await read();
      for (const [path, [frames]] of want) {
        if (quoted(path)) continue;
        expect(got.get(path), path).toBe(
          `${path.split('/').pop()}: ${pct(frames, allFrames)} of packets — apply as filter`,
        );
      }
    },
  );

  it('spreads the protocols over the seven OSI layers with the toggle', async () => {
    await region(b).getByRole('button', { name: 'OSI', exact: true }).click();
    const labels = await region(b).locator('.phs-layer-label').allTextContents();
    expect(labels).toEqual([
      '1 Physical',
      '2 Data link',
      '3 Network',
      '4 Transport',
      '5 Session',
      '6 Presentation',
      '7 Application',
    ]);
    await screenshot(b.page, 'stats-phs-bands-osi');
    await region(b).getByRole('button', { name: 'TCP/IP', exact: true }).click();
    expect(await region(b).locator('.phs-layer-label').allTextContents()).toEqual([
      'Link',
      'Internet',
      'Transport',
      'Application',
    ]);
  });

  it.skipIf(!!tsharkMissing)(`a band applies its protocol as the filter ${tsharkMissing}`, async () => {
    const http = execFileSync(
      tsharkPath,
      ['-n', '-r', webPcapng, '-Y', 'http', '-T', 'fields', '-e', 'frame.number'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .trim()
      .split('\n');
    await region(b).locator('g.phs-band[data-path="eth/ip/tcp/http"]').click();
    await expect
      .poll(() =>
        b.page
          .getByRole('combobox', { name: /display filter/i })
          .first()
          .inputValue(),
      )
      .toBe('http');
    await expect.poll(async () => (await visibleRows(b.page)).map((r) => r[0])).toEqual(http);
    await b.page.getByRole('radio', { name: 'Dark' }).click();
    await screenshot(b.page, 'stats-phs-bands-dark');
    expect(b.errors).toEqual([]);
  });
});
