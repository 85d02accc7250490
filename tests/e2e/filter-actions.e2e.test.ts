// Filters from the details tree and Find packet, as a person uses them: right click a field and
// "Apply as filter" (the list shrinks to exactly what tshark -Y selects with that filter), the
// Menu key / Shift+F10 and "Prepare as filter" (the bar shows it, the list does not change),
// "Colourize with filter" (a colouring rule on top), and Ctrl+F finding the next packet by display filter, by string and by hex bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { rowAt, tree, until, visibleRows, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const bar = (b: Browser) => b.page.getByTestId('display-filter');
const item = (b: Browser, abbrev: string) =>
  tree(b.page).locator(`[role=treeitem][data-abbrev="${abbrev}"]`).first();
const menu = (b: Browser) => b.page.getByTestId('field-menu');
const frameNumbers = async (b: Browser) => (await visibleRows(b.page)).map((r) => Number(r[0]));
const selectedFrame = async (b: Browser) => {
  const l = await tree(b.page).getAttribute('aria-label');
  return Number(l?.match(/packet (\d+)$/)?.[1] ?? 0);
};

function tsharkFrames(filter: string): number[] {
  const out = execFileSync(
    tsharkPath,
    ['-n', '-r', mixedPcap, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return out.split('\n').filter(Boolean).map(Number);
}

/** The frame Find should land on: the first tshark selects after `from`, wrapping. */
const nextOf = (frames: number[], from: number) => frames.find((f) => f > from) ?? frames[0];

async function selectFrame(b: Browser, n: number) {
  await until(
    () => rowAt(b.page, n).count(),
    (c) => c === 1,
    `row ${n}`,
  );
  await rowAt(b.page, n).click();
  await until(
    () => selectedFrame(b),
    (f) => f === n,
    `packet ${n} details`,
  );
}

describe.skipIf(!!chromiumMissing)(`filters from the details tree, Find packet ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  let all: number[];
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    // The load time shows when the index is done; the rows come in a request after it.
    all = await until(
      () => frameNumbers(b),
      (f) => f.length > 0,
      'the packet rows',
    );
    // Packet 13: the SYN of an IPv4 TCP connection to port 7001.
    await selectFrame(b, 13);
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('right click on a field, Apply as filter: the list shows what tshark -Y selects', async () => {
    await item(b, 'tcp').locator('.twisty').click();
    await item(b, 'tcp.dstport').click({ button: 'right' });
    await until(
      () => b.page.getByTestId('field-menu-filter').textContent(),
      (t) => t === 'tcp.dstport == 7001',
      'the field filter in the menu',
    );
    await screenshot(b.page, 'filter-actions-menu');
    await menu(b).getByRole('menuitem', { name: 'Apply as filter' }).click();
    expect(await menu(b).count()).toBe(0);
    await until(
      () => bar(b).inputValue(),
      (v) => v === 'tcp.dstport == 7001',
      'the applied filter in the bar',
    );
    await until(
      () => frameNumbers(b),
      (f) => f.length > 0 && f.length < all.length,
      'the list shrinking',
    );
    const shown = await frameNumbers(b);
    expect(shown).toContain(13);
    if (!tsharkMissing) expect(shown).toEqual(tsharkFrames('tcp.dstport == 7001'));
    await screenshot(b.page, 'filter-actions-applied');
  });

  it('…or selected combines with the applied filter', async () => {
    await item(b, 'tcp.srcport').click({ button: 'right' });
    await until(
      () => b.page.getByTestId('field-menu-filter').textContent(),
      (t) => t === 'tcp.srcport == 53692',
      'the field filter in the menu',
    );
    await menu(b).getByRole('menuitem', { name: 'Apply …or selected' }).click();
    const f = '(tcp.dstport == 7001) || (tcp.srcport == 53692)';
    await until(
      () => bar(b).inputValue(),
      (v) => v === f,
      'the combined filter',
    );
    if (!tsharkMissing) {
      const want = tsharkFrames(f);
      await until(
        () => frameNumbers(b),
        (s) => s.join() === want.join(),
        `frames ${want.join(',')}`,
      );
    }
    await b.page.getByRole('button', { name: 'Clear' }).click();
    await until(
      () => frameNumbers(b),
      (s) => s.length === all.length,
      'every packet again',
    );
  });

  it('Shift+F10 on an address, Prepare as filter: the bar shows it, the list stays whole', async () => {
    await selectFrame(b, 13);
    await item(b, 'ip').locator('.twisty').click();
    await item(b, 'ip.src').click();
    await tree(b.page).press('Shift+F10');
    await until(
      () => b.page.getByTestId('field-menu-filter').textContent(),
      (t) => t === 'ip.src == 127.0.0.1',
      'the address filter',
    );
    // Keyboard only: the first item has focus; ↓ to "Prepare as filter", Enter.
    expect(
      await menu(b)
        .getByRole('menuitem', { name: 'Apply as filter' })
        .evaluate((e) => e === document.activeElement),
    ).toBe(true);
    await b.page.keyboard.press('ArrowDown');
    await b.page.keyboard.press('Enter');
    await until(
      () => bar(b).inputValue(),
      (v) => v === 'ip.src == 127.0.0.1',
      'the prepared filter in the bar',
    );
    await until(
      () => b.page.locator('.filter-field').getAttribute('class'),
      (c) => !!c?.includes('filter-ok'),
      'the bar turning green',
    );
    expect((await frameNumbers(b)).length).toBe(all.length);
    expect(await b.page.locator('.filter-count').textContent()).toBe('');
    await screenshot(b.page, 'filter-actions-prepared');
    // The Menu key on a protocol row gives the protocol's name; Escape closes the menu.
    await item(b, 'ip').click();
    await tree(b.page).press('ContextMenu');
    await until(
      () => b.page.getByTestId('field-menu-filter').textContent(),
      (t) => t === 'ip',
      'the protocol filter',
    );
    await b.page.keyboard.press('Escape');
    expect(await menu(b).count()).toBe(0);
    await bar(b).fill('');
    await bar(b).press('Escape');
  });

  it('Colourize with filter: a rule on top colours exactly what tshark -Y selects', async () => {
    await selectFrame(b, 13);
    // The TCP layer may still be open from the first test.
    if (!(await item(b, 'tcp.dstport').isVisible())) await item(b, 'tcp').locator('.twisty').click();
    await item(b, 'tcp.dstport').click({ button: 'right' });
    await until(
      () => b.page.getByTestId('field-menu-filter').textContent(),
      (t) => t === 'tcp.dstport == 7001',
      'the field filter in the menu',
    );
    await menu(b).getByRole('menuitem', { name: 'Colourize with filter' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Colouring rules' });
    await dialog.waitFor();
    expect(await dialog.getByRole('listitem').first().getAttribute('aria-label')).toBe('tcp.dstport == 7001');
    await b.page.keyboard.press('Escape');
    const want = tsharkMissing ? null : new Set(tsharkFrames('tcp.dstport == 7001'));
    const rows = await until(
      () =>
        b.page
          .locator('[role=grid] .packet-spacer > [role=row][data-frame][aria-selected=false]')
          .evaluateAll((els) =>
            els.map((e) => [Number(e.getAttribute('data-frame')), e.getAttribute('data-coloring')]),
          ),
      (r) => r.some(([, c]) => c === 'tcp.dstport == 7001'),
      'rows coloured by the new rule',
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const [f, c] of rows) {
      if (want) expect(c === 'tcp.dstport == 7001', `frame ${f}`).toBe(want.has(f as number));
    }
    // Packet 13 out of the selection and the rest of its conversation in view, for the picture.
    await rowAt(b.page, 9).click();
    await b.page.locator('[role=grid] .packet-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(b.page, 'filter-actions-colorize');
    await b.page.getByRole('button', { name: 'Colours' }).click();
    await dialog.getByRole('button', { name: "Wireshark's defaults" }).click();
    await b.page.keyboard.press('Escape');
  });

  it('Ctrl+F finds the next packet by display filter, string and hex bytes', async () => {
    await selectFrame(b, 13);
    await b.page.keyboard.press('Control+f');
    const input = b.page.getByTestId('find-input');
    await until(
      () => input.count(),
      (n) => n === 1,
      'the Find packet bar',
    );
    const find = async (kind: string, text: string, expected: number) => {
      await b.page.getByTestId('find-kind').selectOption(kind);
      await input.fill(text);
      await input.press('Enter');
      await until(
        () => selectedFrame(b),
        (f) => f === expected,
        `packet ${expected} found by ${kind} “${text}”`,
      );
    };
    const fin = tsharkMissing ? [20, 21] : tsharkFrames('tcp.flags.fin == 1');
    await find('filter', 'tcp.flags.fin == 1', nextOf(fin, 13));
    await find('filter', 'tcp.flags.fin == 1', nextOf(fin, nextOf(fin, 13)));
    await screenshot(b.page, 'filter-actions-find');
    const echo = tsharkMissing ? [18, 28] : tsharkFrames('frame contains "echo 25"');
    const here = await selectedFrame(b);
    await find('string', 'echo 25', nextOf(echo, here));
    const msg = tsharkMissing ? [16, 18, 26, 28] : tsharkFrames('frame contains 6d:65:73:73:61:67:65');
    const at = await selectedFrame(b);
    await find('hex', '6d 65 73 73 61 67 65', nextOf(msg, at));
    // Not found: a notice, the selection stays.
    const before = await selectedFrame(b);
    await b.page.getByTestId('find-kind').selectOption('string');
    await input.fill('no such text anywhere');
    await input.press('Enter');
    await until(
      () => b.page.getByText('No packet found').count(),
      (n) => n > 0,
      'the not-found notice',
    );
    expect(await selectedFrame(b)).toBe(before);
    await screenshot(b.page, 'filter-actions-not-found');
    await b.page.keyboard.press('Escape');
    expect(await input.count()).toBe(0);
  });

  it('with a filter applied, Find looks among the displayed packets only (as Wireshark)', async () => {
    await bar(b).fill('ip');
    await bar(b).press('Enter');
    await until(
      () => frameNumbers(b),
      (f) => f.length > 0 && f.length < all.length,
      'the IPv4 packets',
    );
    // Ctrl+G: rows are positions in the filtered view, not frame numbers.
    await b.page.keyboard.press('Control+g');
    await b.page.locator('#goto-input').fill('18');
    await b.page.locator('#goto-input').press('Enter');
    await until(
      () => selectedFrame(b),
      (f) => f === 18,
      'packet 18',
    );
    await b.page.keyboard.press('Control+f');
    const input = b.page.getByTestId('find-input');
    await b.page.getByTestId('find-kind').selectOption('hex');
    await input.fill('6d 65 73 73 61 67 65');
    await input.press('Enter');
    // Frame 26 (IPv6) holds the bytes too, but is not shown: Find wraps to frame 16.
    const want = tsharkMissing ? [16, 18] : tsharkFrames('ip && frame contains 6d:65:73:73:61:67:65');
    await until(
      () => selectedFrame(b),
      (f) => f === nextOf(want, 18),
      `packet ${nextOf(want, 18)}`,
    );
    await screenshot(b.page, 'filter-actions-find-within');
    await b.page.keyboard.press('Escape');
  });
});
