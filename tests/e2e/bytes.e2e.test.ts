// The bytes pane: hex and ASCII of the selected packet; a click on a byte selects its field in the
// tree; reassembled data gets its own tab, as in Wireshark.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePcap } from '../fixtures/tools/pcap-io';
import { bytesRegion, highlightedOffsets, rowAt, tree, until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { fragPcap, mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const selectedAbbrev = (b: Browser) =>
  tree(b.page).locator('[role=treeitem][aria-selected=true]').getAttribute('data-abbrev');
const byteAt = (b: Browser, offset: number) => bytesRegion(b.page).locator(`.hex [data-o="${offset}"]`);

async function select(b: Browser, frame: number) {
  await until(
    () => rowAt(b.page, frame).count(),
    (n) => n === 1,
    `row ${frame}`,
  );
  await rowAt(b.page, frame).click();
  await until(
    () => tree(b.page).getAttribute('aria-label'),
    (l) => l === `Layers and fields of packet ${frame}`,
    `packet ${frame}`,
  );
}

describe.skipIf(!!chromiumMissing)(`packet bytes ${chromiumMissing}`, () => {
  describe('one frame', () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([mixedPcap]);
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
      await select(b, 16);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('is a region named Packet bytes with the frame in hex and ASCII, 16 bytes a line', async () => {
      const frame = parsePcap(readFileSync(mixedPcap)).records[15].data;
      const region = bytesRegion(b.page);
      expect(await region.getByRole('tab', { selected: true }).textContent()).toBe(
        `Frame (${frame.length} bytes)`,
      );
      const hex = await region.locator('.hex .b').evaluateAll((els) => els.map((e) => e.textContent));
      expect(hex).toEqual([...frame].map((x) => x.toString(16).padStart(2, '0')));
      const ascii = await region.locator('.ascii').first().textContent();
      expect(ascii).toBe(
        [...frame.subarray(0, 16)]
          .map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.'))
          .join(''),
      );
      expect(await region.locator('.off').allTextContents()).toEqual([
        '0000',
        '0010',
        '0020',
        '0030',
        '0040',
        '0050',
      ]);
    });

    it('a click on a byte selects the field it belongs to, and the tree opens to show it', async () => {
      // Byte 22 of an Ethernet + IPv4 frame is the TTL.
      await byteAt(b, 22).click();
      await expect.poll(() => selectedAbbrev(b)).toBe('ip.ttl');
      expect(
        await tree(b.page).locator('[role=treeitem][data-abbrev=ip]').getAttribute('aria-expanded'),
      ).toBe('true');
      expect(await highlightedOffsets(b.page)).toEqual([22]);
      // A byte in the middle of the destination address selects the whole address.
      await byteAt(b, 32).click();
      await expect.poll(() => selectedAbbrev(b)).toBe('ip.dst');
      expect(await highlightedOffsets(b.page)).toEqual([30, 31, 32, 33]);
      // The TCP payload (26 bytes after a 32-byte header at 34).
      await byteAt(b, 70).click();
      await expect
        .poll(() => highlightedOffsets(b.page))
        .toEqual(Array.from({ length: 26 }, (_, i) => 66 + i));
      await byteAt(b, 12).click();
      await expect.poll(() => selectedAbbrev(b)).toBe('eth.type');
      await byteAt(b, 12).hover();
      expect(await bytesRegion(b.page).locator('.bytes-status').textContent()).toBe(
        'Byte 12 (0x000c): 0x08 = 8 · Link layer',
      );
      await screenshot(b.page, 'bytes-click-selects-field');
      expect(b.errors).toEqual([]);
    });

    it('tints each byte with its TCP/IP layer, with a legend', async () => {
      const legend = await bytesRegion(b.page).getByLabel('Byte colours by TCP/IP layer').textContent();
      expect(legend).toMatch(/^LinkInternetTransportApplication/);
      const cls = (o: number) => byteAt(b, o).getAttribute('class');
      expect(await cls(0)).toMatch(/\bl1\b/);
      expect(await cls(14)).toMatch(/\bl2\b/);
      expect(await cls(34)).toMatch(/\bl3\b/);
      expect(await cls(66)).toMatch(/\bl4\b/);
    });
  });

  describe('reassembled data', () => {
    let served: Served;
    let b: Browser;
    beforeAll(async () => {
      served = await startServe([fragPcap]);
      b = await openBrowser(served.url);
      await waitLoaded(b.page);
      // Packet 3 completes an IPv4 datagram sent in three fragments (an ICMP echo of 3008 bytes).
      await select(b, 3);
    });
    afterAll(async () => {
      await b?.close();
      await served?.close();
    });

    it('gets its own tab, and a field in it switches to that tab', async () => {
      const tabs = bytesRegion(b.page).getByRole('tab');
      await expect
        .poll(() => tabs.allTextContents())
        .toEqual([expect.stringMatching(/^Frame \(\d+ bytes\)$/), 'Reassembled IPv4 (3008 bytes)']);
      await tree(b.page).locator('[role=treeitem][data-abbrev=icmp]').click();
      await expect
        .poll(() => bytesRegion(b.page).getByRole('tab', { selected: true }).textContent())
        .toBe('Reassembled IPv4 (3008 bytes)');
      const hl = await highlightedOffsets(b.page);
      expect(hl[0]).toBe(0);
      await screenshot(b.page, 'bytes-reassembled-tab');
      await tabs.first().click();
      await expect
        .poll(() => bytesRegion(b.page).getByRole('tab', { selected: true }).textContent())
        .toMatch(/^Frame/);
      // The reassembled ICMP message is not on this tab: nothing is highlighted here.
      expect(await highlightedOffsets(b.page)).toEqual([]);
      expect(b.errors).toEqual([]);
    });
  });
});
