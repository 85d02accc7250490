// The display-filter bar, as a person uses it: type a filter and watch it turn green, press Enter
// and see the list shrink to exactly the packets tshark -Y selects; a wrong one turns red and says
// what is wrong and where; field names complete; the starters menu applies a filter; Clear shows
// every packet again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { execFileSync } from 'node:child_process';
import { grid, until, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

/** Packets in lo-mixed.pcap. */
const PACKETS = 32;
const bar = (b: Browser) => b.page.getByTestId('display-filter');
const field = (b: Browser) => b.page.locator('.filter-field');
/** Rows the list says it has (aria-rowcount). */
const rowCount = (b: Browser) => async () => Number(await grid(b.page).getAttribute('aria-rowcount'));
const frameNumbers = async (b: Browser) => (await visibleRows(b.page)).map((r) => Number(r[0]));

function tsharkFrames(filter: string): number[] {
  const out = execFileSync(
    tsharkPath,
    ['-n', '-2', '-r', mixedPcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return out.split('\n').filter(Boolean).map(Number);
}

describe.skipIf(!!chromiumMissing)(`display filter bar ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  let all: number;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    all = await until(rowCount(b), (n) => n >= PACKETS, 'every packet counted');
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('turns green while the filter compiles, and Enter shows only the packets it selects', async () => {
    await bar(b).fill('udp or icmp');
    await until(
      () => field(b).getAttribute('class'),
      (c) => !!c?.includes('filter-ok'),
      'the bar turning green',
    );
    await bar(b).press('Enter');
    await until(rowCount(b), (n) => n < all, 'the list shrinking');
    if (!tsharkMissing) {
      const want = tsharkFrames('udp or icmp');
      // The rows on screen are the first ones tshark selects (once the list has redrawn).
      await until(
        () => frameNumbers(b),
        (f) => f.length > 0 && f.every((n, i) => n === want[i]),
        'the selected rows',
      );
    }
    expect(await b.page.locator('.filter-count').textContent()).toMatch(/^\d+ of \d+ shown$/);
    await screenshot(b.page, 'filter-applied');
  });

  it('turns red on a wrong filter and says what is wrong and where', async () => {
    await bar(b).fill('tcp.prot == 80');
    const err = b.page.locator('#filter-error');
    await until(
      () => err.count(),
      (n) => n === 1,
      'the error line',
    );
    expect(await field(b).getAttribute('class')).toContain('filter-bad');
    expect(await bar(b).getAttribute('aria-invalid')).toBe('true');
    const text = await err.textContent();
    expect(text).toContain('"tcp.prot" is not a valid protocol or protocol field. Did you mean "tcp.port"?');
    expect(text).toContain('character 1');
    await screenshot(b.page, 'filter-error');
    // Enter does not apply a wrong filter: the list still shows the last good one.
    const before = await frameNumbers(b);
    await bar(b).press('Enter');
    expect(await frameNumbers(b)).toEqual(before);
  });

  it('completes field names as they are typed', async () => {
    await bar(b).fill('');
    await bar(b).pressSequentially('tcp.fla');
    const offers = b.page.locator('#filter-offers li');
    await until(
      () => offers.count(),
      (n) => n > 0,
      'completions',
    );
    expect(await offers.allTextContents()).toContain('tcp.flags');
    await screenshot(b.page, 'filter-completion');
    await bar(b).press('Tab');
    expect(await bar(b).inputValue()).toMatch(/^tcp\.flags/);
  });

  it('applies a starter from the Filters menu, and Clear shows every packet again', async () => {
    await b.page.getByRole('button', { name: 'Filters ▾' }).click();
    await screenshot(b.page, 'filter-menu');
    await b.page.getByRole('menuitem', { name: /TCP handshakes/ }).click();
    expect(await bar(b).inputValue()).toBe('tcp.flags.syn == 1');
    await until(rowCount(b), (n) => n < all, 'the handshake packets');
    if (!tsharkMissing) {
      const want = tsharkFrames('tcp.flags.syn == 1');
      // The count changes before the rows are redrawn: wait for the rows themselves.
      await until(
        () => frameNumbers(b),
        (f) => JSON.stringify(f) === JSON.stringify(want),
        'the handshake rows',
      );
    }
    await b.page.getByRole('button', { name: 'Clear' }).click();
    await until(rowCount(b), (n) => n === all, 'every packet again');
    expect(await grid(b.page).getAttribute('aria-rowcount')).not.toBeNull();
  });
});
