// Bad input is first-class: a file that is no capture, a capture cut short, a record that lies
// about its length. Each is told in the window in plain words, with what was kept; nothing
// crashes the window, and the next file opens as usual.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grid, uploadCapture, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { corruptRecordLength, cutShortPcap, mixedPcap, TempDir } from './support/captures';
import { startServe, type Served } from './support/serve';

describe.skipIf(!!chromiumMissing)(`errors in the window ${chromiumMissing}`, () => {
  const tmp = new TempDir();
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe();
    b = await openBrowser(served.url);
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    tmp.remove();
  });

  it('a file that is not a capture: an alert names it and what it looks like, over the open screen', async () => {
    const notes = tmp.file('notes.txt');
    writeFileSync(notes, 'GET / HTTP/1.1\r\nHost: example.org\r\n\r\n');
    await uploadCapture(b.page, notes);
    const alert = b.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('.notice-title').textContent()).toBe('notes.txt could not be opened');
    expect(await alert.locator('.notice-message').textContent()).toMatch(
      /^notes\.txt: not a capture file: .*at offset 0/,
    );
    expect(await alert.locator('.notice-kept').textContent()).toBe('No packet could be read from it.');
    // Nothing could be read: the window is back on the open screen, the message above it.
    expect(await b.page.getByRole('heading', { name: 'Open a capture' }).isVisible()).toBe(true);
    expect(await b.page.locator('.statusbar').textContent()).toMatch(/^No capture open/);
    await screenshot(b.page, 'errors-not-a-capture');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
  });

  it('a capture whose last record is cut short: a warning, and every whole packet listed', async () => {
    await uploadCapture(b.page, cutShortPcap);
    await waitLoaded(b.page);
    const warning = b.page.getByRole('status').filter({ hasText: 'cut-short.pcap is damaged' });
    await warning.waitFor();
    expect(await warning.locator('.notice-message').textContent()).toMatch(
      /truncated last packet record at offset 2408/,
    );
    expect(await warning.locator('.notice-kept').textContent()).toBe('All 23 whole packets are listed.');
    expect(await grid(b.page).getAttribute('aria-rowcount')).toBe('23');
    await screenshot(b.page, 'errors-cut-short');
  });

  it('a record that claims 2 GB: the packets before it are kept, the message names the offset', async () => {
    const bad = tmp.file('lying-length.pcap');
    const { offset } = corruptRecordLength(mixedPcap, 10, bad);
    await uploadCapture(b.page, bad);
    const alert = b.page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.locator('.notice-title').textContent()).toBe(
      'lying-length.pcap could not be read to the end',
    );
    const message = (await alert.locator('.notice-message').textContent()) ?? '';
    expect(message).toMatch(/^lying-length\.pcap: /);
    expect(message).toContain(`offset ${offset}`);
    expect(await alert.locator('.notice-kept').textContent()).toBe(
      `The 10 packets read before byte ${offset.toLocaleString('en-US')} are listed.`,
    );
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('10');
    expect((await visibleRows(b.page)).map((r) => r[0])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    expect(await b.page.locator('.status-warn').textContent()).toBe('Read with errors');
    await screenshot(b.page, 'errors-bad-record');
  });

  it('the window still works: the next capture opens and the old message goes', async () => {
    await uploadCapture(b.page, mixedPcap);
    await waitLoaded(b.page);
    await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('32');
    expect(await b.page.getByRole('alert').count()).toBe(0);
    expect(b.errors).toEqual([]);
  });

  it('a lost connection to the backend is said in the window, not in a console', async () => {
    await served.close();
    const alert = b.page.getByRole('alert').filter({ hasText: 'The connection to the backend was lost' });
    await alert.waitFor();
    expect(await b.page.locator('.status-conn').textContent()).toBe('Disconnected');
    await screenshot(b.page, 'errors-disconnected');
  });
});
