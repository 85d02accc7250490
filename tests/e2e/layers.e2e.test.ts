// The layer stack and the header bit diagram, as a teacher uses them: a packet shown as envelopes
// beside the OSI and TCP/IP models, a layer clicked to light up its header in the tree and the
// bytes, a header drawn bit by bit with its fields at the RFCs' positions, a field clicked to
// select it everywhere. Header sizes are checked against tshark's PDML where it is installed.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing, tsharkPath } from '../support/tshark';
import { bytesRegion, highlightedOffsets, rowAt, tree, until, waitLoaded } from './support/app';
import { artifactsDir, chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { mixedPcap } from './support/captures';
import { startServe, type Served } from './support/serve';

const layers = (b: Browser) => b.page.getByRole('region', { name: 'Layers' });
const bits = (b: Browser) => b.page.getByRole('region', { name: 'Header bits' });
const envelope = (b: Browser, proto: string) => layers(b).locator(`g.env[data-proto="${proto}"]`);
const cell = (b: Browser, abbrev: string) => bits(b).locator(`g.bit-cell[data-abbrev="${abbrev}"]`).first();
const selectedItem = (b: Browser) => tree(b.page).locator('[role=treeitem][aria-selected=true]');
const range = (from: number, length: number) => Array.from({ length }, (_, i) => from + i);

/** Where tshark puts each protocol of a frame (PDML `pos` and `size`), in order. */
function pdmlProtos(file: string, frame: number): { name: string; pos: number; size: number }[] {
  const xml = execFileSync(tsharkPath, ['-n', '-r', file, '-T', 'pdml', '-Y', `frame.number == ${frame}`], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  return [...xml.matchAll(/<proto name="([^"]+)"[^>]*?size="(\d+)" pos="(\d+)"/g)]
    .map((m) => ({ name: m[1], size: Number(m[2]), pos: Number(m[3]) }))
    .filter((p) => p.name !== 'geninfo' && p.name !== 'frame');
}

async function selectPacket(b: Browser, n: number): Promise<void> {
  await until(
    () => rowAt(b.page, n).count(),
    (c) => c === 1,
    `row ${n}`,
  );
  await rowAt(b.page, n).click();
  await until(
    () => tree(b.page).getAttribute('aria-label'),
    (l) => l === `Layers and fields of packet ${n}`,
    `packet ${n} details`,
  );
  await until(
    () => layers(b).locator('svg').getAttribute('aria-label'),
    (l) => !!l?.startsWith(`Frame ${n}:`),
    `packet ${n} in the layer stack`,
  );
}

describe.skipIf(!!chromiumMissing)(`layer stack and bit diagram ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([mixedPcap]);
    b = await openBrowser(served.url);
    await waitLoaded(b.page);
    // Packet 13: the SYN of an IPv4 TCP connection (no payload).
    await selectPacket(b, 13);
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
  });

  it('shows the packet as envelopes, outermost at the bottom, beside the OSI and TCP/IP models', async () => {
    const protos = await layers(b)
      .locator('g.env')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-proto')));
    expect(protos).toEqual(['eth', 'ip', 'tcp']);
    const osi = await layers(b)
      .locator('g.osi-cell')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-osi'), e.classList.contains('empty')]));
    expect(osi).toEqual([
      ['7', true],
      ['6', true],
      ['5', true],
      ['4', false],
      ['3', false],
      ['2', false],
      ['1', true],
    ]);
    const tcpip = await layers(b)
      .locator('g.tcpip-cell')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tcpip')));
    expect(tcpip).toEqual(['application', 'transport', 'internet', 'link']);
    // The rows no protocol fills are there and say so: no payload, nothing at 5–6, signals at 1.
    const empties = await layers(b)
      .locator('g.empty-row')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-osi'), e.getAttribute('data-reason')]));
    expect(empties).toEqual([
      ['7', 'no-payload'],
      ['6', 'no-protocol'],
      ['5', 'no-protocol'],
      ['1', 'physical'],
    ]);
    // Each envelope names its PDU.
    expect(await envelope(b, 'tcp').getAttribute('aria-label')).toMatch(
      /^TCP segment, 40 bytes: 40-byte header; OSI layer 4, TCP\/IP transport$/,
    );
    expect(await envelope(b, 'ip').getAttribute('aria-label')).toMatch(
      /^IPv4 packet, 60 bytes: 20-byte header; carries 40 bytes; OSI layer 3/,
    );
    expect(await envelope(b, 'eth').getAttribute('aria-label')).toMatch(
      /^Ethernet frame, 74 bytes: 14-byte header; carries 60 bytes; OSI layer 2/,
    );
    // The inner envelope sits inside the outer one on screen.
    const box = async (p: string) => (await envelope(b, p).locator('rect.env-box').boundingBox())!;
    const [eth, ip, tcp] = [await box('eth'), await box('ip'), await box('tcp')];
    expect(ip.x).toBeGreaterThan(eth.x);
    expect(ip.x + ip.width).toBeLessThan(eth.x + eth.width);
    expect(tcp.y + tcp.height).toBeLessThanOrEqual(ip.y + ip.height);
    await screenshot(b.page, 'layers-tcp-syn');
    expect(b.errors).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)(
    `gives each header its real size, as tshark's PDML does ${tsharkMissing}`,
    async () => {
      const theirs = pdmlProtos(mixedPcap, 13);
      for (const proto of ['eth', 'ip', 'tcp']) {
        const size = theirs.find((p) => p.name === proto)!.size;
        expect(await envelope(b, proto).locator('g.env-chip text').first().textContent(), proto).toBe(
          `${size} B`,
        );
        expect(await envelope(b, proto).getAttribute('aria-label')).toContain(`${size}-byte header`);
      }
    },
  );

  it('clicking an envelope header selects the layer in the tree and exactly the header bytes', async () => {
    await envelope(b, 'tcp').locator('g.env-chip').click();
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('tcp');
    const theirs = tsharkMissing ? null : pdmlProtos(mixedPcap, 13).find((p) => p.name === 'tcp')!;
    const hdr = theirs ? theirs.size : 40;
    await expect.poll(() => highlightedOffsets(b.page)).toEqual(range(34, hdr));
    expect(await envelope(b, 'tcp').getAttribute('aria-pressed')).toBe('true');
    // The rest of the envelope selects the whole layer (header and what it carries).
    await envelope(b, 'ip').locator('g.env-caption').click();
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('ip');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual(range(14, 74 - 14));
    // And from the keyboard: Tab to an envelope, Enter.
    await envelope(b, 'eth').focus();
    await b.page.keyboard.press('Enter');
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('eth');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual(range(0, 14));
    await screenshot(b.page, 'layers-header-selected');
  });

  it('draws the selected header bit by bit, fields where RFC 9293 puts them, values from this packet', async () => {
    await envelope(b, 'tcp').locator('g.env-chip').click();
    await expect.poll(() => bits(b).locator('svg').getAttribute('data-proto')).toBe('tcp');
    const where = async (a: string) => cell(b, a).getAttribute('data-bits');
    expect(await where('tcp.srcport')).toBe('0-16');
    expect(await where('tcp.dstport')).toBe('16-32');
    expect(await where('tcp.seq')).toBe('32-64');
    expect(await where('tcp.hdr_len')).toBe('96-100');
    expect(await where('tcp.flags.syn')).toBe('110-111');
    expect(await where('tcp.window_size_value')).toBe('112-128');
    expect(await cell(b, 'tcp.flags.syn').getAttribute('aria-label')).toMatch(
      /^Syn: Set \(bit 110, byte 47\)$/,
    );
    expect(await cell(b, 'tcp.flags.ack').getAttribute('aria-label')).toMatch(/^Acknowledgment: Not set/);
    expect(await cell(b, 'tcp.dstport').getAttribute('aria-label')).toBe(
      'Destination Port: 7001 (bits 16–31, bytes 36–37)',
    );
    // The bits drawn are the packet's: the SYN bit is a 1.
    const synDigit = await cell(b, 'tcp.flags.syn').locator('text.bit-digit').textContent();
    expect(synDigit).toBe('1');
    await screenshot(b.page, 'layers-bit-diagram-tcp');
  });

  it('clicking a field in the diagram selects it in the tree and its bytes; a byte clicked lights up its field', async () => {
    await cell(b, 'tcp.flags.syn').click();
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.flags.syn');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual([47]);
    expect(await cell(b, 'tcp.flags.syn').getAttribute('aria-pressed')).toBe('true');
    await cell(b, 'tcp.srcport').click();
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('tcp.srcport');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual([34, 35]);
    // The other way: byte 22 in the hex pane is the IPv4 TTL; the diagram switches to IPv4 and marks it.
    await bytesRegion(b.page).locator('.hex .b[data-o="22"]').click();
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('ip.ttl');
    await expect.poll(() => bits(b).locator('svg').getAttribute('data-proto')).toBe('ip');
    expect(await cell(b, 'ip.ttl').getAttribute('aria-pressed')).toBe('true');
    expect(await cell(b, 'ip.ttl').getAttribute('data-bits')).toBe('64-72');
    expect(await cell(b, 'ip.flags.df').getAttribute('data-bits')).toBe('49-50');
    await screenshot(b.page, 'layers-bit-diagram-ip-ttl');
  });

  it('the header picker switches headers, and keys move between fields', async () => {
    await bits(b)
      .getByRole('button', { name: /^Ethernet 14 B$/ })
      .click();
    await expect.poll(() => bits(b).locator('svg').getAttribute('data-proto')).toBe('eth');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual(range(0, 14));
    expect(await cell(b, 'eth.dst').getAttribute('data-bits')).toBe('0-48');
    expect(await cell(b, 'eth.type').getAttribute('data-bits')).toBe('96-112');
    await cell(b, 'eth.dst').focus();
    await b.page.keyboard.press('ArrowRight');
    await b.page.keyboard.press('Enter');
    await expect.poll(() => selectedItem(b).getAttribute('data-abbrev')).toBe('eth.src');
    await expect.poll(() => highlightedOffsets(b.page)).toEqual(range(6, 6));
  });

  it('an ICMP echo: an 8-byte ICMP header carrying data at OSI 7, the sessions rows empty', async () => {
    await selectPacket(b, 1);
    const protos = await layers(b)
      .locator('g.env')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-proto')));
    expect(protos).toEqual(['eth', 'ip', 'icmp', 'data']);
    expect(await envelope(b, 'icmp').locator('g.env-chip text').first().textContent()).toBe('8 B');
    expect(await envelope(b, 'icmp').getAttribute('aria-label')).toMatch(/^ICMP message/);
    const osi = await layers(b)
      .locator('g.osi-cell:not(.empty)')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-osi')));
    expect(osi).toEqual(['7', '3', '2']);
    await screenshot(b.page, 'layers-icmp-echo');
  });

  it('reads on every theme (screenshots for review)', async () => {
    await selectPacket(b, 13);
    await envelope(b, 'tcp').locator('g.env-chip').click();
    for (const [name, file] of [
      ['Light', 'layers-light'],
      ['High contrast', 'layers-high-contrast'],
      ['Dark', 'layers-dark'],
    ]) {
      await b.page.getByRole('radio', { name }).click();
      await expect
        .poll(() => b.page.evaluate(() => document.documentElement.dataset.theme))
        .toBe(name === 'High contrast' ? 'contrast' : name.toLowerCase());
      await screenshot(b.page, file);
      await b.page.locator('aside.side').screenshot({ path: join(artifactsDir, `${file}-panel.png`) });
    }
    expect(b.errors).toEqual([]);
  });
});
