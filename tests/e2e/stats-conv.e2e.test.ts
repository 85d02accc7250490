// Conversations and endpoints in the Statistics tab, as a person uses them: the type buttons
// (Ethernet, IPv4, IPv6, TCP, UDP) switch tables whose rows are checked against `tshark -q -z
// conv,TYPE` / `-z endpoints,TYPE` on the same capture; a conversation row selects its first
// packet and shows its display filter, which "Apply as filter" applies: the packet list shrinks
// to the packets tshark -Y selects with that filter. The capture is a merge of real fixtures (loopback
// ICMP/UDP/TCP over IPv4 and IPv6, ARP and neighbour discovery between two MACs, HTTP) made with
// mergecap, so every table has rows.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { grid, tree, until, waitLoaded } from './support/app';
import { artifactsDir, chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { fixtures, TempDir } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Statistics' });
const show = (b: Browser, name: string) => region(b).getByRole('button', { name, exact: true }).click();
const table = (b: Browser, name: string) => region(b).getByRole('table', { name, exact: true });

/** The whole window, and the Statistics panel alone at full resolution (to read it as projected). */
async function shots(b: Browser, name: string): Promise<void> {
  await screenshot(b.page, name);
  await region(b).screenshot({ path: join(artifactsDir, `${name}-panel.png`) });
}

const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };

function tshark(args: string[]): string {
  return execFileSync(tsharkPath, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
}

interface Conv {
  a: string;
  b: string;
  total: number;
  ab: number;
  ba: number;
}

/** tshark's conversation rows: ends, then `<-` (B→A), `->` (A→B) and total frames. */
function tsharkConv(file: string, type: string): Conv[] {
  const text = tshark(['-n', '-q', '-r', file, '-z', `conv,${type}`]);
  return [...text.matchAll(/^(\S+)\s+<->\s+(\S+)\s+(\d+) \d+ \w+\s+(\d+) \d+ \w+\s+(\d+) /gm)].map((m) => ({
    a: m[1],
    b: m[2],
    ba: Number(m[3]),
    ab: Number(m[4]),
    total: Number(m[5]),
  }));
}

/** tshark's endpoint rows as the app's cells: address, [port,] packets, bytes, tx, rx, tx bytes, rx bytes. */
function tsharkEndpoints(file: string, type: string): string[][] {
  const text = tshark(['-n', '-q', '-r', file, '-z', `endpoints,${type}`]);
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7 || !/^\d+$/.test(f[1])) continue;
    const [addr, ...n] = f;
    const ports = n.length === 7;
    const [port, packets, bytes, txp, txb, rxp, rxb] = ports ? n : ['', ...n];
    out.push([addr, ...(ports ? [port] : []), packets, bytes, txp, rxp, txb, rxb]);
  }
  return out;
}

const unport = (s: string) => s.replace(/^\[(.*)\](:\d+)$/, '$1$2');

async function convCells(b: Browser, name: string): Promise<Conv[]> {
  const rows = await table(b, name)
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((c) => (c.textContent ?? '').replace(/,/g, ''))),
    );
  return rows.map((c) => ({
    a: unport(c[0]),
    b: unport(c[1]),
    total: Number(c[2]),
    ab: Number(c[4]),
    ba: Number(c[5]),
  }));
}

describe.skipIf(!!chromiumMissing || !!tsharkMissing)(
  `statistics: conversations and endpoints ${chromiumMissing || tsharkMissing}`,
  () => {
    let served: Served;
    let b: Browser;
    const dir = new TempDir();
    const file = dir.file('teaching-mix.pcapng');
    beforeAll(async () => {
      execFileSync('mergecap', [
        '-w',
        file,
        join(fixtures, 'captures/lo-mixed.pcap'),
        join(fixtures, 'captures/veth-arp-nd.pcap'),
        join(fixtures, 'http/http-basic.pcap'),
      ]);
      served = await startServe([file]);
      b = await openBrowser(served.url, { width: 1920, height: 1080 });
      await waitLoaded(b.page);
      await b.page.getByRole('tab', { name: 'Statistics' }).click();
      await show(b, 'Conversations');
      await until(
        () => table(b, 'IPv4 conversations').locator('tbody tr').count(),
        (n) => n > 0,
        'the IPv4 conversations',
      );
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
      dir.remove();
    });

    it('lists the conversations of each type as tshark -z conv does', async () => {
      for (const [button, type, name] of [
        ['IPv4', 'ip', 'IPv4 conversations'],
        ['IPv6', 'ipv6', 'IPv6 conversations'],
        ['Ethernet', 'eth', 'Ethernet conversations'],
        ['UDP', 'udp', 'UDP conversations'],
        ['TCP', 'tcp', 'TCP conversations'],
      ]) {
        await region(b).getByRole('button', { name: button, exact: true }).click();
        const want = tsharkConv(file, type);
        expect(want.length, type).toBeGreaterThan(0);
        await expect.poll(() => convCells(b, name)).toEqual(want);
        expect(await region(b).getByTestId('conv-summary').textContent()).toMatch(
          new RegExp(`^${want.length} ${button} conversations`),
        );
        if (type === 'ipv6' || type === 'tcp') await shots(b, `stats-conv-${type}`);
      }
      expect(b.errors).toEqual([]);
    });

    it('a conversation row selects its first packet; Apply as filter lists only its packets, as tshark -Y', async () => {
      await region(b).getByRole('button', { name: 'TCP', exact: true }).click();
      const row = table(b, 'TCP conversations').locator('tbody tr').nth(1);
      const first = Number(await row.getAttribute('data-first'));
      await row.click();
      await expect
        .poll(() => tree(b.page).getAttribute('aria-label'))
        .toBe(`Layers and fields of packet ${first}`);
      await expect.poll(() => row.getAttribute('aria-current')).toBe('true');
      const filter = (await region(b).getByTestId('conv-chosen-filter').textContent())!;
      expect(filter).toMatch(
        /^ip\.addr == 127\.0\.0\.1 && tcp\.port == \d+ && ip\.addr == 127\.0\.0\.1 && tcp\.port == \d+$/,
      );
      const want = tshark(['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'])
        .trim()
        .split('\n');
      const cells = await row.locator('td').allTextContents();
      expect(want.length).toBe(Number(cells[2]));
      await region(b).getByRole('button', { name: 'Apply as filter' }).click();
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(String(want.length));
      await expect.poll(() => b.page.getByTestId('display-filter').inputValue()).toBe(filter);
      await shots(b, 'stats-conv-filtered');
      expect(b.errors).toEqual([]);
    });

    it('lists the endpoints of each type as tshark -z endpoints does', async () => {
      await show(b, 'Endpoints');
      for (const [button, type, name] of [
        ['TCP', 'tcp', 'TCP endpoints'],
        ['Ethernet', 'eth', 'Ethernet endpoints'],
        ['IPv6', 'ipv6', 'IPv6 endpoints'],
        ['UDP', 'udp', 'UDP endpoints'],
        ['IPv4', 'ip', 'IPv4 endpoints'],
      ]) {
        await region(b).getByRole('button', { name: button, exact: true }).click();
        const want = tsharkEndpoints(file, type);
        expect(want.length, type).toBeGreaterThan(0);
        await expect
          .poll(() =>
            table(b, name)
              .locator('tbody tr')
              .evaluateAll((trs) =>
                trs.map((tr) =>
                  [...tr.querySelectorAll('td')].map((c) => (c.textContent ?? '').replace(/,/g, '')),
                ),
              ),
          )
          .toEqual(want);
        if (type === 'eth' || type === 'tcp') await shots(b, `stats-endpoints-${type}`);
      }
      expect(b.errors).toEqual([]);
    });

    it('reads well in the dark theme', async () => {
      await b.page.getByRole('radio', { name: 'Dark' }).click();
      await region(b).getByRole('button', { name: 'Ethernet', exact: true }).click();
      await table(b, 'Ethernet endpoints').locator('tbody tr').nth(1).click();
      await expect
        .poll(() => region(b).getByTestId('conv-chosen-filter').textContent())
        .toBe('eth.addr == 02:00:00:00:77:01');
      await shots(b, 'stats-endpoints-dark');
      expect(b.errors).toEqual([]);
    });
  },
);
