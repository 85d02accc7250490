// The HTTP summary in the Statistics tab: requests by method and responses by status as tshark's
// `-z http,tree` counts them on the same capture; a row applies its filter and the packet list
// shows what tshark -Y shows for it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { grid, waitLoaded } from './support/app';
import { artifactsDir, chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { fixtures } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });
const file = join(fixtures, 'http/http-basic.pcap');

function tshark(args: string[]): string {
  return execFileSync(tsharkPath, ['-n', '-r', file, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** Lines of tshark's http,tree `depth` spaces deep under a heading (until the next heading): name → count (non-zero). */
function treeSection(text: string, heading: string, depth: number): [string, number][] {
  const lines = text.split('\n');
  const out: [string, number][] = [];
  for (let i = lines.findIndex((l) => l.startsWith(heading)) + 1; i > 0 && i < lines.length; i++) {
    const m = /^( *)(.*?)\s{2,}(\d+)\s/.exec(lines[i]);
    if (!m || m[1].length < 2) break;
    if (m[1].length === depth && Number(m[3]) > 0) out.push([m[2], Number(m[3])]);
  }
  return out;
}

const cells = (b: Browser, name: string) =>
  region(b)
    .getByRole('table', { name, exact: true })
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const td = [...tr.querySelectorAll('td')].map((c) => c.textContent ?? '');
        return [td[0], Number(td[1].replace(/,/g, ''))] as [string, number];
      }),
    );

const sorted = (rows: [string, number][]) =>
  [...rows].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

describe.skipIf(!!chromiumMissing || !!tsharkMissing)(
  `statistics: HTTP summary ${chromiumMissing || tsharkMissing}`,
  () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([file]);
      b = await openBrowser(served.url, { width: 1920, height: 1080 });
      await waitLoaded(b.page);
      await b.page.getByRole('tab', { name: 'Statistics' }).click();
      await region(b).getByRole('button', { name: 'HTTP', exact: true }).click();
      await region(b).getByRole('table', { name: 'Request method' }).waitFor();
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('counts requests by method and responses by status as tshark -z http,tree', async () => {
      const text = tshark(['-q', '-z', 'http,tree']);
      const methods = treeSection(text, ' HTTP Request Packets', 2);
      const statuses = treeSection(text, ' HTTP Response Packets', 3);
      expect(methods.length).toBeGreaterThan(2);
      expect(await cells(b, 'Request method')).toEqual(sorted(methods));
      expect(await cells(b, 'Response status')).toEqual(sorted(statuses));
      await screenshot(b.page, 'stats-http');
      await region(b).screenshot({ path: join(artifactsDir, 'stats-http-panel.png') });
      expect(b.errors).toEqual([]);
    });

    it('a row applies its filter: the list shows what tshark -Y shows', async () => {
      await region(b).getByRole('table', { name: 'Request method' }).locator('tbody tr').first().click();
      const want = tshark(['-Y', 'http.request.method == "GET"', '-T', 'fields', '-e', 'frame.number'])
        .trim()
        .split('\n');
      await expect
        .poll(() => b.page.getByTestId('display-filter').inputValue())
        .toBe('http.request.method == "GET"');
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(String(want.length));
      await screenshot(b.page, 'stats-http-filtered');
      expect(b.errors).toEqual([]);
    });
  },
);

// The DNS summary: query types as tshark's `-z dns,tree` counts them, the response-time line
// with tshark's count, and a type row filters the list as tshark -Y does.
const dnsFile = join(fixtures, 'dns/dns-udp.pcap');

describe.skipIf(!!chromiumMissing || !!tsharkMissing)(
  `statistics: DNS summary ${chromiumMissing || tsharkMissing}`,
  () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([dnsFile]);
      b = await openBrowser(served.url, { width: 1920, height: 1080 });
      await waitLoaded(b.page);
      await b.page.getByRole('tab', { name: 'Statistics' }).click();
      await region(b).getByRole('button', { name: 'DNS', exact: true }).click();
      await region(b).getByRole('table', { name: 'Query type' }).waitFor();
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('counts query types and answers as tshark -z dns,tree; a type row filters the list', async () => {
      const text = execFileSync(tsharkPath, ['-n', '-q', '-r', dnsFile, '-z', 'dns,tree'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const types = treeSection(text, ' Query Type', 2);
      expect(types.length).toBeGreaterThan(3);
      expect(await cells(b, 'Query type')).toEqual(sorted(types));
      const answered = /^ request-response time \(msec\)\s+(\d+)/m.exec(text)![1];
      expect(await region(b).getByTestId('dns-times').textContent()).toMatch(
        new RegExp(
          `^Response time over ${answered} answers: average [\\d.]+ ms, min [\\d.]+ ms, max [\\d.]+ ms$`,
        ),
      );
      await screenshot(b.page, 'stats-dns');
      await region(b).screenshot({ path: join(artifactsDir, 'stats-dns-panel.png') });
      await region(b)
        .getByRole('table', { name: 'Query type' })
        .locator('tbody tr', { hasText: 'AAAA' })
        .click();
      await expect.poll(() => b.page.getByTestId('display-filter').inputValue()).toBe('dns.qry.type == 28');
      const want = execFileSync(tsharkPath, ['-n', '-r', dnsFile, '-Y', 'dns.qry.type == 28'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .trim()
        .split('\n').length;
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(String(want));
      expect(b.errors).toEqual([]);
    });
  },
);
