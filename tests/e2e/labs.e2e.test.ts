// The labs as a teacher runs them in front of a class, through serve mode in Chromium at
// 1920×1080: the WebSocket lab through the tap (no privileges) — the handshake's arrows appear
// as it happens, a typed message is sent and its frame is taken apart (bits and unmasking), the
// Accept is recomputed, the connection closed with 1000 — then the TCP-vs-UDP lab to its report,
// and a sample the labs made opened from the start screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { startServe, type Served } from './support/serve';

const diagram = (b: Browser) => b.page.getByRole('region', { name: 'Sequence diagram' });
const labels = (b: Browser) =>
  diagram(b)
    .locator('g.seq-msg-row')
    .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label') ?? ''));
const logTexts = (b: Browser) =>
  b.page.getByRole('region', { name: 'Lab log' }).locator('.lab-ev-text').allTextContents();

describe.skipIf(!!chromiumMissing)(`labs ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  beforeAll(async () => {
    served = await startServe([]);
    b = await openBrowser(served.url, { width: 1920, height: 1080 });
    await b.page.getByRole('heading', { name: 'Wirescope' }).waitFor();
  });
  afterAll(async () => {
    await b?.page
      .getByRole('button', { name: 'Stop', exact: true })
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
    await b?.close();
    await served?.close();
  });

  it('the start screen offers live capture, both labs and the samples', async () => {
    const start = b.page.getByRole('main');
    await expect(start.getByRole('button', { name: 'Live capture…', exact: true }).isVisible()).resolves.toBe(
      true,
    );
    await expect(start.getByRole('button', { name: 'WebSocket lab', exact: true }).isVisible()).resolves.toBe(
      true,
    );
    await expect(
      start.getByRole('button', { name: 'TCP vs UDP lab', exact: true }).isVisible(),
    ).resolves.toBe(true);
    await start.getByRole('heading', { name: 'Sample captures made by the labs' }).waitFor();
    await screenshot(b.page, 'labs-start-screen');
  });

  it('runs the WebSocket lab through the tap: the handshake arrows appear as it happens', async () => {
    await b.page.getByRole('main').getByRole('button', { name: 'WebSocket lab', exact: true }).click();
    const labs = b.page.getByRole('main', { name: 'Labs' });
    await labs.getByRole('radio', { name: 'Normal' }).click();
    await labs.getByRole('button', { name: 'Run' }).click();
    // The diagram shows what the protocols said; "Both" adds the TCP segments (the SYNs).
    await until(
      () => labels(b),
      (l) => l.includes('GET /chat (Upgrade: websocket)') && l.includes('101 Switching Protocols'),
      'the upgrade request and the 101 response',
      30_000,
    );
    await diagram(b).getByRole('button', { name: 'Both', exact: true }).click();
    const l = await until(
      () => labels(b),
      (x) => x.some((s) => s.startsWith('SYN')),
      'the TCP handshake',
    );
    expect(l.findIndex((s) => s.startsWith('SYN'))).toBeLessThan(l.indexOf('GET /chat (Upgrade: websocket)'));
    expect(l.some((s) => s.startsWith('SYN-ACK'))).toBe(true);
    // The tap's packets are marked as reconstructed.
    await labs.getByTestId('tap-badge').first().waitFor();
    await diagram(b).getByRole('button', { name: 'Application', exact: true }).click();
    await screenshot(b.page, 'labs-websocket-handshake');
    expect((await logTexts(b)).length).toBeGreaterThan(0);
  });

  it('recomputes the Sec-WebSocket-Accept from the captured key and finds it equal to the 101’s', async () => {
    const labs = b.page.getByRole('main', { name: 'Labs' });
    await labs.getByTestId('accept-match').waitFor({ timeout: 20_000 });
    const key = await labs.getByTestId('accept-key').textContent();
    expect(key).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('sends a typed message: its frame arrow appears, and its frame figure shows the unmasking', async () => {
    const labs = b.page.getByRole('main', { name: 'Labs' });
    const text = 'Hi class 42';
    const input = labs.getByRole('textbox', { name: 'Message' });
    await input.fill(text);
    await labs.getByRole('button', { name: 'Send', exact: true }).click();
    const label = `WS text "${text}"`;
    await until(
      () => labels(b),
      (l) => l.includes(label),
      'the sent frame',
      20_000,
    );
    // The first arrow with the label is the client's (masked) frame; the echo comes back unmasked.
    await diagram(b).locator(`g.seq-msg-row[data-label='${label}']`).first().click();
    const fig = labs.getByTestId('frame-figure');
    await until(
      () =>
        fig
          .getByTestId('frame-text')
          .textContent()
          .catch(() => null),
      (t) => t === text,
      'the frame figure of the sent frame',
    );
    const fields = await fig
      .locator('.bit-cell')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-field'),
          e.querySelector('.bit-value')?.textContent ?? '',
          e.querySelector('.bit-meaning')?.textContent ?? '',
        ]),
      );
    const value = (name: string) =>
      fields
        .find(([f]) => f === name)
        ?.slice(1)
        .join(' ')
        .trim();
    expect(value('FIN')).toBe('1');
    expect(value('MASK')).toBe('1');
    expect(value('opcode')).toBe('0001 = 1 text');
    expect(value('Payload len')).toBe(`${text.length.toString(2).padStart(7, '0')} = ${text.length}`);
    expect(value('Masking-key')).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2}){3}$/);
    const chars = await fig.locator('.unmask tr.chars td').allTextContents();
    expect(chars.join('')).toBe(text.slice(0, chars.length));
    // masked XOR key = byte, for every column shown.
    const cols = await fig
      .locator('.unmask tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    const [, masked, key, bytes] = cols;
    for (let i = 0; i < bytes.length; i++)
      expect(parseInt(masked[i], 16) ^ parseInt(key[i], 16)).toBe(parseInt(bytes[i], 16));
    await screenshot(b.page, 'labs-websocket-frame');
  });

  it('closes with 1000 Normal closure: the close frames are drawn and the lab ends', async () => {
    const labs = b.page.getByRole('main', { name: 'Labs' });
    await labs.getByRole('combobox', { name: 'Close code' }).selectOption('1000');
    await labs.getByRole('textbox', { name: 'Reason' }).fill('Class over');
    await labs.getByRole('button', { name: 'Close', exact: true }).click();
    const l = await until(
      () => labels(b),
      (x) => x.some((s) => /close/i.test(s) && s.includes('1000')),
      'the close frame',
      20_000,
    );
    expect(l.filter((s) => /close/i.test(s)).length).toBeGreaterThanOrEqual(1);
    await until(
      () => labs.getByRole('button', { name: 'Run' }).count(),
      (n) => n === 1,
      'the lab to end (Run offered again)',
      20_000,
    );
    await screenshot(b.page, 'labs-websocket-closed');
    expect(b.errors).toEqual([]);
  });

  it('runs TCP vs UDP with simulated loss to its measured report', async () => {
    const labs = b.page.getByRole('main', { name: 'Labs' });
    await labs.getByRole('tab', { name: 'TCP vs UDP' }).click();
    await labs.getByRole('spinbutton', { name: 'Messages' }).fill('8');
    await labs.getByRole('spinbutton', { name: 'UDP loss %' }).fill('25');
    await labs.getByRole('button', { name: 'Run' }).click();
    const report = labs.getByTestId('lab-report');
    await report.waitFor({ timeout: 60_000 });
    const rows = await report
      .locator('.report-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => c.textContent ?? '')),
      );
    const row = (name: string) => rows.find((r) => r[0] === name)!;
    // TCP delivers every message; UDP's loss is the relay's, and the report says it is simulated.
    expect(row('Delivered / sent')[1]).toBe('8 / 8');
    expect(row('Delivered / sent')[2]).toMatch(/^\d+ \/ 8$/);
    expect(row('Lost')[2]).toMatch(/dropped \(simulated loss\)$/);
    const packets = row('Packets');
    expect(Number(packets[1].replace(/,/g, ''))).toBeGreaterThan(Number(packets[2].replace(/,/g, '')));
    // UDP's header is 8 bytes a datagram; TCP's at least 20 a segment.
    expect(row('Transport header bytes')[2]).toMatch(/\(8 per packet\)$/);
    const tcpPer = Number(/\((\d+) per packet\)/.exec(row('Transport header bytes')[1])?.[1]);
    expect(tcpPer).toBeGreaterThanOrEqual(20);
    expect(await report.locator('rect.bar.tcp').count()).toBeGreaterThan(3);
    await screenshot(b.page, 'labs-tcp-udp-report');
    // Both conversations are drawn.
    await until(
      () => diagram(b).locator('.seq-head-box').count(),
      (n) => n >= 4,
      'both conversations’ lifelines',
    );
    await screenshot(b.page, 'labs-tcp-udp-report');
    // As projected in a dark room.
    await b.page.getByRole('radio', { name: 'Dark' }).click();
    await screenshot(b.page, 'labs-tcp-udp-report-dark');
    await b.page.getByRole('radio', { name: 'Light' }).click();
    expect(b.errors).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'as root: the WebSocket lab captured on lo by the capture helper, no tap badge',
    async () => {
      const labs = b.page.getByRole('main', { name: 'Labs' });
      await labs.getByRole('tab', { name: 'WebSocket' }).click();
      const capture = labs.getByRole('radio', { name: /^Capture/ });
      await until(
        () => capture.isEnabled(),
        (ok) => ok,
        'capture mode offered (root may capture)',
      );
      await capture.check();
      await labs.getByRole('radio', { name: 'Fast' }).click();
      await labs.getByRole('button', { name: 'Run' }).click();
      await until(
        () => labels(b),
        (l) => l.includes('GET /chat (Upgrade: websocket)') && l.includes('101 Switching Protocols'),
        'the captured handshake',
        30_000,
      );
      expect(await b.page.getByTestId('status-live').textContent()).toMatch(/Capturing on lo/);
      expect(await labs.getByTestId('tap-badge').count()).toBe(0);
      await labs.getByTestId('accept-match').waitFor({ timeout: 20_000 });
      await screenshot(b.page, 'labs-websocket-captured');
      await labs.getByRole('button', { name: 'Stop', exact: true }).click();
      await b.page.getByTestId('status-live').waitFor({ state: 'detached', timeout: 20_000 });
      expect(b.errors).toEqual([]);
    },
  );
});
