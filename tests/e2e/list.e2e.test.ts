// The packet list as a person uses it: count the rows, move with the keys, go to a packet, sort by
// a column, read the colours and edit their rules; and a hundred thousand packets stay a handful of
// DOM rows while the scrollbar still reaches the last one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_COLORING, parseColorfilters } from '../../shared/filter/coloring';
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

/** A default rule by Wireshark's name for it. */
const byName = (name: string) => {
  const r = DEFAULT_COLORING.find((x) => x.name === name);
  if (!r) throw new Error(`no default colouring rule named ${name}`);
  return r;
};

const shippedColorfilters = '/usr/share/wireshark/colorfilters';

describe.skipIf(!!chromiumMissing)(`packet list ${chromiumMissing}`, () => {
  describe('a small capture', () => {
    let served: Served;
    let b: Browser;
    const bg = (n: number) => rowAt(b.page, n).evaluate((el) => getComputedStyle(el).backgroundColor);
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

    it("colours rows with Wireshark's default rules, listed in the colouring rules", async () => {
      // Packet 20 is selected (drawn in the selection colour); these rows are not.
      await grid(b.page)
        .locator('.packet-body')
        .evaluate((el) => el.scrollTo(0, 0));
      await rowAt(b.page, 1).waitFor();
      expect(await bg(1)).toBe(rgb(byName('ICMP').bg));
      expect(await bg(9)).toBe(rgb(byName('UDP').bg));
      expect(await bg(13)).toBe(rgb(byName('TCP SYN/FIN').bg));
      expect(await bg(16)).toBe(rgb(byName('TCP').bg));
      await b.page.getByRole('button', { name: 'Colours' }).click();
      const dialog = b.page.getByRole('dialog', { name: 'Colouring rules' });
      await dialog.waitFor();
      expect(await dialog.getByRole('listitem').count()).toBe(DEFAULT_COLORING.length);
      // Every default filter compiles: each turns green.
      await expect.poll(() => dialog.locator('.coloring-filter.valid').count()).toBe(DEFAULT_COLORING.length);
      await screenshot(b.page, 'list-coloring-rules');
      await b.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    });

    it("a rule of one's own: written as a filter, red while it does not compile, first match wins, kept across a reload", async () => {
      await b.page.getByRole('button', { name: 'Colours' }).click();
      const dialog = b.page.getByRole('dialog', { name: 'Colouring rules' });
      await dialog.getByRole('button', { name: 'New rule' }).click();
      const rule = dialog.getByRole('listitem').first();
      await expect.poll(() => rule.getAttribute('aria-label')).toBe('New rule');
      const filter = rule.getByRole('textbox', { name: 'Filter' });
      await filter.fill('udp.port ==');
      await filter.press('Enter');
      await expect.poll(() => filter.getAttribute('aria-invalid')).toBe('true');
      expect(await rule.getByRole('alert').textContent()).toMatch(/colours nothing until it is fixed/);
      await screenshot(b.page, 'list-coloring-invalid');
      // Nothing is coloured by a rule that does not compile.
      expect(await bg(9)).toBe(rgb(byName('UDP').bg));
      await filter.fill('udp && frame.len < 100');
      await filter.press('Enter');
      await expect.poll(() => filter.getAttribute('class')).toMatch(/\bvalid\b/);
      const name = rule.getByRole('textbox', { name: 'Name' });
      await name.fill('Small UDP');
      await name.press('Enter');
      await rule.getByLabel('Background of Small UDP').fill('#ff8800');
      await expect.poll(() => bg(9)).toBe(rgb('#ff8800'));
      expect(await rowAt(b.page, 9).getAttribute('data-coloring')).toBe('Small UDP');
      // The TCP rows are not selected by it and keep their colours.
      expect(await bg(16)).toBe(rgb(byName('TCP').bg));
      // Below the UDP rule it can never win.
      for (let k = 0; k < DEFAULT_COLORING.findIndex((r) => r.name === 'UDP') + 1; k++) {
        await dialog.getByRole('button', { name: 'Move Small UDP down' }).click();
      }
      await expect.poll(() => bg(9)).toBe(rgb(byName('UDP').bg));
      await dialog.getByRole('button', { name: 'Move Small UDP up' }).click();
      await expect.poll(() => bg(9)).toBe(rgb('#ff8800'));
      await b.page.reload();
      await waitLoaded(b.page);
      await rowAt(b.page, 9).waitFor();
      await expect.poll(() => bg(9)).toBe(rgb('#ff8800'));
      await b.page.getByRole('button', { name: 'Colours' }).click();
      await dialog.getByRole('checkbox', { name: 'Use Small UDP' }).uncheck();
      await expect.poll(() => bg(9)).toBe(rgb(byName('UDP').bg));
      await dialog.getByRole('button', { name: "Wireshark's defaults" }).click();
      expect(await dialog.getByRole('listitem').count()).toBe(DEFAULT_COLORING.length);
      await b.page.keyboard.press('Escape');
      expect(b.errors).toEqual([]);
    });

    it("exports Wireshark's colorfilters format, and imports Wireshark's own file", async () => {
      await b.page.getByRole('button', { name: 'Colours' }).click();
      const dialog = b.page.getByRole('dialog', { name: 'Colouring rules' });
      const [download] = await Promise.all([
        b.page.waitForEvent('download'),
        dialog.getByRole('button', { name: 'Export…' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('colorfilters');
      const text = readFileSync((await download.path())!, 'utf8');
      expect(parseColorfilters(text)).toEqual({ rules: DEFAULT_COLORING, problems: [] });
      if (existsSync(shippedColorfilters)) {
        await dialog.getByLabel(/Import colouring rules/).setInputFiles(shippedColorfilters);
        await expect.poll(() => dialog.getByRole('listitem').count()).toBe(20);
        // Rules naming protocols Wirescope does not dissect (SMB, OSPF…) say so and colour nothing.
        await expect.poll(() => dialog.locator('.coloring-filter.invalid').count()).toBeGreaterThan(0);
        const smb = dialog.getByRole('listitem', { name: 'SMB' });
        expect(await smb.getByRole('alert').textContent()).toMatch(
          /"smb" is not a valid protocol or protocol field/,
        );
        await screenshot(b.page, 'list-coloring-imported');
        // The rows keep Wireshark's colours: its rules that compile are ours.
        expect(await bg(9)).toBe(rgb(byName('UDP').bg));
        await dialog.getByRole('button', { name: "Wireshark's defaults" }).click();
      }
      await b.page.keyboard.press('Escape');
      expect(b.errors).toEqual([]);
    });

    it.skipIf(!!tsharkMissing)(`colours each packet as Wireshark's rules do ${tsharkMissing}`, async () => {
      // tshark says which rule matched (frame.coloring_rule.name) when asked to colour (--color).
      const want = tsharkFields(mixedPcap, ['frame.coloring_rule.name'], ['-2', '--color']).map((r) => r[0]);
      const got = await grid(b.page)
        .locator('.packet-spacer > [role=row][data-frame][aria-selected=false]')
        .evaluateAll((rows) =>
          rows.map((r) => [Number(r.getAttribute('data-frame')), (r as HTMLElement).style.backgroundColor]),
        );
      expect(got.length).toBeGreaterThan(10);
      for (const [frame, bgc] of got) {
        const name = want[(frame as number) - 1];
        expect(bgc, `frame ${frame} should be coloured as ${name}`).toBe(rgb(byName(name).bg));
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
