// The packet list as a person uses it: count the rows, move with the keys, go to a packet, sort by
// a column, read the colours and their legend; and a hundred thousand packets stay a handful of
// DOM rows while the scrollbar still reaches the last one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOR_RULES } from '../../shared/contract/api';
import { COLOR_STYLES } from '../../shared/contract/coloring';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { grid, rowAt, until, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap, repeatCapture, TempDir } from './support/captures';
import { startServe, type Served } from './support/serve';

const selectedFrame = (b: Browser) =>
  grid(b.page).locator('[role=row][aria-selected=true]').getAttribute('data-frame');

/** CSS rgb() text of a #rrggbb colour, as getComputedStyle reports it. */
const rgb = (hex: string) =>
  `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

describe.skipIf(!!chromiumMissing)(`packet list ${chromiumMissing}`, () => {
  describe('a small capture', () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([mixedPcap]);
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
      await until(
        () => selectedFrame(b),
        (f) => f === '1',
        'packet 1 to be selected',
      );
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('is a grid with one row per packet, each with its row index, under the seven Wireshark columns', async () => {
      expect(await grid(b.page).getAttribute('aria-rowcount')).toBe('32');
      const headers = await grid(b.page).getByRole('columnheader').allTextContents();
      expect(headers).toEqual(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
      const idx = await grid(b.page)
        .locator('.packet-spacer > [role=row]')
        .evaluateAll((rows) =>
          rows.map((r) => [Number(r.getAttribute('aria-rowindex')), Number(r.getAttribute('data-frame'))]),
        );
      expect(idx.length).toBeGreaterThan(10);
      for (const [i, f] of idx) expect(f).toBe(i);
    });

    it('↓ ↑ End Home move the selection; the details follow', async () => {
      await rowAt(b.page, 1).click();
      await b.page.keyboard.press('ArrowDown');
      await b.page.keyboard.press('ArrowDown');
      await expect.poll(() => selectedFrame(b)).toBe('3');
      await expect
        .poll(() => b.page.getByRole('tree').getAttribute('aria-label'))
        .toBe('Layers and fields of packet 3');
      await b.page.keyboard.press('ArrowUp');
      await expect.poll(() => selectedFrame(b)).toBe('2');
      await b.page.keyboard.press('End');
      await expect.poll(() => selectedFrame(b)).toBe('32');
      await expect.poll(() => rowAt(b.page, 32).isVisible()).toBe(true);
      await b.page.keyboard.press('Home');
      await expect.poll(() => selectedFrame(b)).toBe('1');
    });

    it('Ctrl+G goes to a packet by number', async () => {
      await b.page.keyboard.press('Control+g');
      const box = b.page.getByRole('dialog', { name: 'Go to packet' });
      await box.waitFor();
      await box.getByRole('textbox').fill('20');
      await screenshot(b.page, 'list-go-to');
      await b.page.keyboard.press('Enter');
      await expect.poll(() => selectedFrame(b)).toBe('20');
      await box.waitFor({ state: 'detached' });
      expect(await b.page.getByTestId('status-packets').textContent()).toBe('Packets: 32');
    });

    it('sorts by a column header: ascending, descending, then frame order, keeping the selection', async () => {
      const head = grid(b.page).getByRole('columnheader', { name: /Length/ });
      await head.click();
      await expect.poll(() => head.getAttribute('aria-sort')).toBe('ascending');
      let lengths = (await visibleRows(b.page)).map((r) => Number(r[5]));
      expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
      await expect.poll(() => selectedFrame(b)).toBe('20');
      await screenshot(b.page, 'list-sorted');
      await head.click();
      await expect.poll(() => head.getAttribute('aria-sort')).toBe('descending');
      lengths = (await visibleRows(b.page)).map((r) => Number(r[5]));
      expect(lengths).toEqual([...lengths].sort((x, y) => y - x));
      await head.click();
      await expect.poll(() => head.getAttribute('aria-sort')).toBe('none');
      // Frame order again, scrolled only as far as keeps packet 20 in view.
      await expect
        .poll(async () => {
          const nums = (await visibleRows(b.page)).map((r) => Number(r[0]));
          return (
            nums.length > 5 && nums.every((n, i) => i === 0 || n === nums[i - 1] + 1) && nums.includes(20)
          );
        })
        .toBe(true);
    });

    it('colours rows with Wireshark default rules, explained by the legend', async () => {
      // Packet 20 is selected (drawn in the selection colour); these rows are not.
      await grid(b.page)
        .locator('.packet-body')
        .evaluate((el) => el.scrollTo(0, 0));
      await rowAt(b.page, 1).waitFor();
      const bg = (n: number) => rowAt(b.page, n).evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(await bg(1)).toBe(rgb(COLOR_STYLES.icmp.bg));
      expect(await bg(9)).toBe(rgb(COLOR_STYLES.udp.bg));
      expect(await bg(13)).toBe(rgb(COLOR_STYLES['tcp-syn-fin'].bg));
      expect(await bg(16)).toBe(rgb(COLOR_STYLES.tcp.bg));
      await b.page.getByRole('button', { name: 'Colours' }).click();
      const legend = b.page.getByRole('dialog', { name: 'Packet colours' });
      await legend.waitFor();
      expect(await legend.getByRole('listitem').count()).toBe(COLOR_RULES.length);
      await screenshot(b.page, 'list-legend');
      await b.page.keyboard.press('Escape');
      await legend.waitFor({ state: 'detached' });
    });

    it.skipIf(!!tsharkMissing)(`colours each packet as Wireshark's rules do ${tsharkMissing}`, async () => {
      // tshark says which rule matched (frame.coloring_rule.name) when asked to colour (--color).
      const want = tsharkFields(mixedPcap, ['frame.coloring_rule.name'], ['-2', '--color']).map((r) => r[0]);
      const got = await grid(b.page)
        .locator('.packet-spacer > [role=row][data-frame][aria-selected=false]')
        .evaluateAll((rows) =>
          rows.map((r) => [Number(r.getAttribute('data-frame')), (r as HTMLElement).style.backgroundColor]),
        );
      const bgOfName = new Map(COLOR_RULES.map((k) => [COLOR_STYLES[k].name, rgb(COLOR_STYLES[k].bg)]));
      expect(got.length).toBeGreaterThan(10);
      for (const [frame, bgc] of got) {
        const name = want[(frame as number) - 1];
        expect(bgc, `frame ${frame} should be coloured as ${name}`).toBe(bgOfName.get(name));
      }
    });
  });

  describe('a hundred thousand packets', () => {
    const tmp = new TempDir();
    const big = tmp.file('hundred-thousand.pcap');
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      repeatCapture(mixedPcap, 100_000, big);
      served = await startServe([big]);
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
      tmp.remove();
    });

    it('keeps only the visible rows in the page, and End reaches the last packet', async () => {
      await expect.poll(() => grid(b.page).getAttribute('aria-rowcount')).toBe('100000');
      const domRows = await grid(b.page).locator('.packet-spacer > [role=row]').count();
      expect(domRows).toBeGreaterThan(10);
      expect(domRows).toBeLessThan(80);
      await grid(b.page).focus();
      await b.page.keyboard.press('End');
      await expect.poll(() => selectedFrame(b), { timeout: 20_000 }).toBe('100000');
      await expect.poll(() => rowAt(b.page, 100_000).isVisible()).toBe(true);
      await screenshot(b.page, 'list-end-of-100k');
      await b.page.keyboard.press('Control+g');
      await b.page.getByRole('dialog', { name: 'Go to packet' }).getByRole('textbox').fill('54321');
      await b.page.keyboard.press('Enter');
      await expect.poll(() => selectedFrame(b), { timeout: 20_000 }).toBe('54321');
      expect(await rowAt(b.page, 54_321).isVisible()).toBe(true);
      expect(b.errors).toEqual([]);
    });
  });
});
