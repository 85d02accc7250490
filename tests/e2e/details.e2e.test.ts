// The details tree: the selected packet's layers, opened and walked with the mouse and the keys;
// a field selected lights up its bytes; hovering names its filter field. Values and byte ranges
// are checked against tshark's PDML where it is installed.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { grid, highlightedOffsets, rowAt, tree, until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const item = (b: Browser, abbrev: string) =>
  tree(b.page).locator(`[role=treeitem][data-abbrev="${abbrev}"]`).first();
const selectedItem = (b: Browser) => tree(b.page).locator('[role=treeitem][aria-selected=true]');

/** `pos` and `size` of the first field `abbrev` of frame `frame` in tshark's PDML. */
function pdmlField(file: string, frame: number, abbrev: string): { pos: number; size: number; show: string } {
  const xml = execFileSync(
    tsharkPath,
    ['-n', '-r', file, '-2', '-T', 'pdml', '-Y', `frame.number == ${frame}`],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
  );
  const tag = new RegExp(`<field name="${abbrev.replace(/\./g, '\\.')}"[^>]*>`).exec(xml)?.[0];
  if (!tag) throw new Error(`tshark PDML has no ${abbrev} in frame ${frame}`);
  const attr = (a: string) => new RegExp(`\\b${a}="([^"]*)"`).exec(tag)?.[1] ?? '';
  return { show: attr('show'), size: Number(attr('size')), pos: Number(attr('pos')) };
}

describe.skipIf(!!chromiumMissing)(`packet details ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    // Packet 13: the SYN of an IPv4 TCP connection.
    await until(
      () => rowAt(b.page, 13).count(),
      (n) => n === 1,
      'row 13',
    );
    await rowAt(b.page, 13).click();
    await until(
      () => tree(b.page).getAttribute('aria-label'),
      (l) => l === 'Layers and fields of packet 13',
      'packet 13 details',
    );
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('shows one collapsed line per layer, as Wireshark does', async () => {
    const top = tree(b.page).locator('[role=treeitem][aria-level="1"]');
    const labels = await top.allTextContents();
    expect(labels.map((l) => l.replace(/^[▸▾]/, ''))).toEqual([
      'Frame 13: 74 bytes on wire (592 bits), 74 bytes captured (592 bits)',
      'Ethernet II, Src: 00:00:00:00:00:00, Dst: 00:00:00:00:00:00',
      'Internet Protocol Version 4, Src: 127.0.0.1, Dst: 127.0.0.1',
      'Transmission Control Protocol, Src Port: 53692, Dst Port: 7001, Seq: 0, Len: 0',
    ]);
    for (const el of await top.all()) expect(await el.getAttribute('aria-expanded')).toBe('false');
  });

  it('opens a layer with the mouse, and selecting a field highlights exactly its bytes', async () => {
    await item(b, 'tcp').locator('.twisty').click();
    expect(await item(b, 'tcp').getAttribute('aria-expanded')).toBe('true');
    await item(b, 'tcp.flags').click();
    expect(await selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags');
    // Ethernet 14 + IPv4 20 + 12 bytes into the TCP header: flags are bytes 46–47.
    await expect.poll(() => highlightedOffsets(b.page)).toEqual([46, 47]);
    await screenshot(b.page, 'details-tcp-flags');
  });

  it('hovering a field shows its filter name', async () => {
    await item(b, 'tcp.window_size_value').hover();
    const status = b.page.locator('.details-status');
    await expect
      .poll(() => status.textContent())
      .toMatch(/^Window tcp\.window_size_value · bytes 48–49 \(2\)$/);
    expect(await item(b, 'tcp.window_size_value').getAttribute('title')).toMatch(/^tcp\.window_size_value\n/);
  });

  it('walks with the keys: → opens, ↓ moves, ← goes back to the parent', async () => {
    await item(b, 'tcp.flags').click();
    await b.page.keyboard.press('ArrowRight');
    expect(await item(b, 'tcp.flags').getAttribute('aria-expanded')).toBe('true');
    await b.page.keyboard.press('ArrowRight');
    expect(await selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags.res');
    for (let i = 0; i < 8; i++) await b.page.keyboard.press('ArrowDown');
    expect(await selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags.syn');
    expect(await selectedItem(b).textContent()).toMatch(/Syn: Set$/);
    await expect.poll(() => highlightedOffsets(b.page)).toEqual([47]);
    await b.page.keyboard.press('ArrowLeft');
    expect(await selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags');
    await screenshot(b.page, 'details-keyboard');
  });

  it('a bit field lights its byte and says which bits', async () => {
    await item(b, 'ip').locator('.twisty').click();
    await item(b, 'ip.hdr_len').click();
    await expect.poll(() => highlightedOffsets(b.page)).toEqual([14]);
    expect(await b.page.getByLabel('Byte colours by TCP/IP layer').textContent()).toMatch(
      /Selected: byte 14 · bits \.\.\.\. 1111$/,
    );
  });

  it('Expand all opens every subtree and Collapse all closes them', async () => {
    await tree(b.page).getByRole('treeitem').first().click();
    await b.page.getByRole('button', { name: 'Expand all' }).click();
    const closed = () => tree(b.page).locator('[role=treeitem][aria-expanded=false]').count();
    expect(await closed()).toBe(0);
    expect(await tree(b.page).getByRole('treeitem').count()).toBeGreaterThan(50);
    await screenshot(b.page, 'details-expand-all');
    await b.page.getByRole('button', { name: 'Collapse all' }).click();
    expect(await tree(b.page).getByRole('treeitem').count()).toBe(4);
    await item(b, 'tcp').locator('.twisty').click();
  });

  it('keeps the field selected and the subtree open on the next packet, as Wireshark', async () => {
    await item(b, 'tcp.flags').click();
    await grid(b.page).focus();
    await b.page.keyboard.press('ArrowDown');
    await expect.poll(() => tree(b.page).getAttribute('aria-label')).toBe('Layers and fields of packet 14');
    expect(await selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags');
    expect(await item(b, 'tcp.flags').textContent()).toMatch(/Flags: 0x012 \(SYN, ACK\)/);
    expect(b.errors).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)(
    `shows the values and byte ranges tshark's PDML gives ${tsharkMissing}`,
    async () => {
      await rowAt(b.page, 13).click();
      await expect.poll(() => tree(b.page).getAttribute('aria-label')).toBe('Layers and fields of packet 13');
      await item(b, 'ip').locator('.twisty').click();
      for (const abbrev of ['ip.ttl', 'ip.src', 'tcp.srcport', 'tcp.window_size_value', 'tcp.hdr_len']) {
        const want = pdmlField(mixedPcap, 13, abbrev);
        await item(b, abbrev).click();
        await expect
          .poll(() => highlightedOffsets(b.page), { message: abbrev })
          .toEqual(Array.from({ length: want.size }, (_, i) => want.pos + i));
        expect(await item(b, abbrev).textContent(), abbrev).toContain(want.show);
      }
    },
  );
});
