// Conversations, as a person uses them: the capture's TCP and UDP streams listed with endpoints,
// packets and bytes, one chosen
// to filter the packet list to it, the filter lifted again; sorting, the TCP/UDP switch, keys.
// Counts are checked against tshark's `-z conv,tcp` / `-z conv,udp` tables where it is installed.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing, tsharkPath } from '../support/tshark';
import { grid, tree, until, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { webPcapng } from './support/captures';
import { startServe, type Served } from './support/serve';

const region = (b: Browser) => b.page.getByRole('region', { name: 'Conversations' });
const rows = (b: Browser) => region(b).locator('tbody tr.conv-row');
const row = (b: Browser, id: string) => region(b).locator(`tbody tr[data-stream="${id}"]`);
const cells = (b: Browser) =>
  rows(b).evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.getAttribute('data-stream'),
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );

interface Expected {
  /** The two endpoints, sorted (tshark does not say which sent first). */
  ends: string;
  packets: number;
  bytes: number;
}

/** `tshark -q -z conv,tcp` and `conv,udp`: per conversation, its endpoints, frames and bytes. */
function tsharkConversations(file: string): Expected[] {
  const out: Expected[] = [];
  for (const kind of ['tcp', 'udp']) {
    const text = execFileSync(tsharkPath, ['-n', '-q', '-r', file, '-z', `conv,${kind}`], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    });
    for (const m of text.matchAll(
      /^(\S+)\s+<->\s+(\S+)\s+\d+ \d+ bytes\s+\d+ \d+ bytes\s+(\d+) (\d+) bytes\s/gm,
    ))
      out.push({ ends: [m[1], m[2]].sort().join(' '), packets: Number(m[3]), bytes: Number(m[4]) });
  }
  return out;
}

/** tshark's tcp.stream of each packet, for the packets the list shows when filtered. */
function tcpStreamFrames(file: string, stream: number): number[] {
  return tsharkFields(file, ['frame.number', 'tcp.stream'])
    .filter(([, s]) => s === String(stream))
    .map(([n]) => Number(n));
}

describe.skipIf(!!chromiumMissing)(`conversations ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([webPcapng]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Conversations' }).click();
    await until(
      () => rows(b).count(),
      (n) => n > 0,
      'the conversations table',
    );
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('lists every TCP and UDP stream with its endpoints, TCP first, in stream order', async () => {
    const got = await cells(b);
    expect(got.map((r) => r.id)).toEqual(['tcp:0', 'tcp:1', 'udp:0', 'udp:1']);
    expect(await region(b).getByTestId('conversation-counts').textContent()).toBe('2 TCP · 2 UDP');
    // A is the side that sent the stream's first packet.
    expect(got[0].cells[0]).toBe('TCP 0');
    expect(got[0].cells[1]).toMatch(/^A127\.0\.0\.1:\d+B127\.0\.0\.1:\d+$/);
    await screenshot(b.page, 'conversations');
    expect(b.errors).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)(
    `counts packets and bytes per conversation as tshark's conversation tables do ${tsharkMissing}`,
    async () => {
      const want = tsharkConversations(webPcapng);
      const got = await cells(b);
      expect(got).toHaveLength(want.length);
      for (const r of got) {
        // Folded layout: Stream, Endpoints (A…B…), Packets, Bytes, Duration.
        const ends = /^A(.+)B(.+)$/.exec(r.cells[1])!;
        const e = want.find((w) => w.ends === [ends[1], ends[2]].sort().join(' '));
        expect(e, `${r.id} ${r.cells[1]}`).toBeDefined();
        expect(Number(r.cells[2].replace(/,/g, '')), r.id!).toBe(e!.packets);
        expect(Number(r.cells[3].replace(/,/g, '')), r.id!).toBe(e!.bytes);
      }
    },
  );

  it('choosing a stream filters the packet list to it and selects its first packet; choosing it again lifts the filter', async () => {
    const all = Number(await grid(b.page).getAttribute('aria-rowcount'));
    const want = tsharkMissing ? null : tcpStreamFrames(webPcapng, 1);
    await row(b, 'tcp:1').click();
    await expect.poll(() => row(b, 'tcp:1').getAttribute('aria-current')).toBe('true');
    const n = Number(await grid(b.page).getAttribute('aria-rowcount'));
    expect(n).toBeLessThan(all);
    if (want) {
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(String(want.length));
      await expect
        .poll(() => tree(b.page).getAttribute('aria-label'))
        .toBe(`Layers and fields of packet ${want[0]}`);
      await expect.poll(async () => (await visibleRows(b.page)).map((r) => Number(r[0]))).toEqual(want);
    }
    // Every listed TCP packet is between the stream's two ports (HTTP rows say what HTTP said).
    const ends = await row(b, 'tcp:1').locator('td').nth(1).textContent();
    const ports = [...(ends ?? '').matchAll(/:(\d+)/g)].map((m) => m[1]);
    const listed = await visibleRows(b.page);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.some((r) => r[4] === 'TCP')).toBe(true);
    for (const r of listed.filter((r) => r[4] === 'TCP'))
      expect(r[6], r.join(' | ')).toMatch(
        new RegExp(`\\b${ports[0]}\\b.*\\b${ports[1]}\\b|\\b${ports[1]}\\b.*\\b${ports[0]}\\b`),
      );
    await screenshot(b.page, 'conversations-filtered');
    await row(b, 'tcp:1').click();
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(String(all));
    expect(await row(b, 'tcp:1').getAttribute('aria-current')).toBeNull();
  });

  it('"Show all packets" lifts the filter too', async () => {
    const all = await grid(b.page).getAttribute('aria-rowcount');
    await row(b, 'udp:0').click();
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).not.toBe(all);
    await region(b).getByRole('button', { name: 'Show all packets' }).click();
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(all);
  });

  it('sorts by a column both ways, and shows only TCP or only UDP', async () => {
    const bytesOf = async () => (await cells(b)).map((r) => Number(r.cells[3].replace(/,/g, '')));
    await region(b)
      .getByRole('button', { name: /^Bytes/ })
      .click();
    const up = await bytesOf();
    expect(up).toEqual([...up].sort((x, y) => x - y));
    expect(await region(b).locator('th[aria-sort=ascending]').textContent()).toMatch(/^Bytes/);
    await region(b)
      .getByRole('button', { name: /^Bytes/ })
      .click();
    const down = await bytesOf();
    expect(down).toEqual([...up].reverse());
    await region(b)
      .getByRole('button', { name: /^Bytes/ })
      .click();
    expect((await cells(b)).map((r) => r.id)).toEqual(['tcp:0', 'tcp:1', 'udp:0', 'udp:1']);
    await region(b).getByRole('button', { name: 'UDP', exact: true }).click();
    expect((await cells(b)).map((r) => r.id)).toEqual(['udp:0', 'udp:1']);
    await region(b).getByRole('button', { name: 'All', exact: true }).click();
    expect(await rows(b).count()).toBe(4);
  });

  it('works from the keyboard: arrows move between streams, Enter chooses', async () => {
    const all = await grid(b.page).getAttribute('aria-rowcount');
    await row(b, 'tcp:0').focus();
    await b.page.keyboard.press('ArrowDown');
    await b.page.keyboard.press('ArrowDown');
    await expect
      .poll(() => b.page.evaluate(() => document.activeElement?.getAttribute('data-stream')))
      .toBe('udp:0');
    await b.page.keyboard.press('Enter');
    await expect.poll(() => row(b, 'udp:0').getAttribute('aria-current')).toBe('true');
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).not.toBe(all);
    await b.page.keyboard.press('Enter');
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe(all);
  });

  it('on a wide panel shows both directions and the start in their own columns', async () => {
    await b.page.setViewportSize({ width: 2400, height: 1000 });
    await expect
      .poll(() => region(b).locator('thead th').allTextContents())
      .toEqual([
        'Stream',
        'Endpoint A',
        'Endpoint B',
        'Packets',
        'Bytes',
        'A → B',
        'B → A',
        'Start',
        'Duration',
      ]);
    const first = (await cells(b))[0].cells;
    const [pAB, pBA] = [first[5], first[6]].map((t) => Number(t.split(' · ')[0].replace(/,/g, '')));
    expect(pAB + pBA).toBe(Number(first[3].replace(/,/g, '')));
    await screenshot(b.page, 'conversations-wide');
    expect(b.errors).toEqual([]);
  });
});
