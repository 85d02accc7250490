// The sequence diagram, as a teacher uses it: a capture of a real WebSocket session opened, its
// conversation chosen, the diagram read at the application level and at the transport level, a
// message clicked to select its packet everywhere (and a packet selected in the list lighting its
// message), playback played, paused and stepped, the diagram exported as SVG and Mermaid (the
// Mermaid text must equal the CLI's), and projection mode at 1920×1080 and 3840×2160.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Io } from '../../electron/cli/run';
import { rowAt, tree, until, waitLoaded } from './support/app';
import { chromiumMissing, chromiumPath, openBrowser, screenshot, type Browser } from './support/browser';
import { fixtures, repeatCapture, TempDir } from './support/captures';
import { startServe, type Served } from './support/serve';

const wsPcap = join(fixtures, 'websocket/ws-basic.pcap');

/**
 * The mermaid package's browser bundle: not a dependency of the project (yet), so found in
 * node_modules when someone installed it, or named by MERMAID_JS (…/mermaid/dist/mermaid.min.js).
 */
function findMermaid(): string | null {
  if (process.env.MERMAID_JS) return existsSync(process.env.MERMAID_JS) ? process.env.MERMAID_JS : null;
  try {
    return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  } catch {
    return null;
  }
}
const mermaidJs = findMermaid();
const mermaidMissing = mermaidJs
  ? ''
  : '(skipped: the mermaid package is not installed; set MERMAID_JS to its dist/mermaid.min.js)';

const pane = (b: Browser) => b.page.getByRole('region', { name: 'Sequence diagram' });
const arrows = (b: Browser) => pane(b).locator('g.seq-msg-row');
const arrow = (b: Browser, frame: number) => pane(b).locator(`g.seq-msg-row[data-frame="${frame}"]`).first();
const position = (b: Browser) => pane(b).getByTestId('seq-position');
const caption = (b: Browser) => pane(b).getByTestId('seq-caption');

async function cli(args: string[]): Promise<string> {
  let out = '';
  const io = {
    out: { write: (s: string) => ((out += s), true) },
    err: { write: () => true },
  } as unknown as Io;
  const code = await run(args, io);
  if (code !== 0) throw new Error(`wirescope ${args.join(' ')} exited ${code}`);
  return out;
}

/** The arrows' labels, whole (the drawn text is clipped to its arrow when the pane is narrow). */
async function frameLabels(b: Browser): Promise<string[]> {
  const got = await arrows(b).evaluateAll((gs) =>
    gs.map((g) => [g.getAttribute('data-label') ?? '', g.querySelector('text.seq-label')?.textContent ?? '']),
  );
  for (const [whole, drawn] of got)
    expect(drawn === whole || (drawn.endsWith('\u2026') && whole.startsWith(drawn.slice(0, -1)))).toBe(true);
  return got.map(([whole]) => whole);
}

describe.skipIf(!!chromiumMissing)(`sequence diagram ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  const tmp = new TempDir();
  beforeAll(async () => {
    served = await startServe([wsPcap]);
    b = await openBrowser(served.url, { width: 1920, height: 1080 });
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Sequence' }).click();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    tmp.remove();
  });

  it('draws a chosen conversation: lifelines named by role, what the protocols said, notes', async () => {
    await pane(b)
      .getByRole('button', { name: /^Choose conversations/ })
      .click();
    await pane(b).getByRole('group', { name: 'Conversations to draw' }).getByRole('checkbox').first().check();
    await pane(b).getByRole('button', { name: 'Done' }).click();
    await until(
      () => arrows(b).count(),
      (n) => n > 10,
      'the diagram',
    );
    const heads = await pane(b)
      .locator('.seq-head-box')
      .evaluateAll((els) => els.map((e) => e.textContent));
    expect(heads).toEqual([
      expect.stringMatching(/^Client127\.0\.0\.1:48596/),
      expect.stringMatching(/^Server127\.0\.0\.1:8080/),
    ]);
    const labels = await frameLabels(b);
    expect(labels.slice(0, 4)).toEqual([
      'GET /chat (Upgrade: websocket)',
      '101 Switching Protocols',
      'WS text "Hello!"',
      'WS text "Hello!"',
    ]);
    const notes = await pane(b).locator('g.seq-note text').allTextContents();
    expect(notes).toEqual(
      expect.arrayContaining([
        'Connection established',
        'HTTP upgrade request',
        'WebSocket connection established',
      ]),
    );
    await screenshot(b.page, 'sequence-application');
    expect(b.errors).toEqual([]);
  });

  it('switches to the transport level: every segment, bare ACKs dashed', async () => {
    await pane(b).getByRole('button', { name: 'Transport', exact: true }).click();
    await until(
      () => frameLabels(b),
      (l) => l[0] === 'SYN (seq=0)',
      'the transport level',
    );
    const labels = await frameLabels(b);
    expect(labels.slice(0, 3)).toEqual(['SYN (seq=0)', 'SYN-ACK (seq=0, ack=1)', 'ACK (seq=1, ack=1)']);
    expect(await arrow(b, 3).getAttribute('class')).toContain('ack-only');
    expect(await arrow(b, 1).getAttribute('class')).not.toContain('ack-only');
    await screenshot(b.page, 'sequence-transport');
    await pane(b).getByRole('button', { name: 'Both', exact: true }).click();
    await until(
      () => pane(b).locator('path.seq-group').count(),
      (n) => n > 0,
      'application messages grouped with their segments',
    );
    await screenshot(b.page, 'sequence-both');
    // Per host: on loopback both sockets are one host, so every arrow comes back to it.
    await pane(b).getByRole('combobox', { name: 'Lifelines' }).selectOption('host');
    await until(
      () => pane(b).locator('.seq-head-box').count(),
      (n) => n === 1,
      'one lifeline per host',
    );
    expect(await pane(b).locator('.seq-head-box .seq-head-title').textContent()).toBe('Client / Server');
    await screenshot(b.page, 'sequence-per-host');
    await pane(b).getByRole('combobox', { name: 'Lifelines' }).selectOption('socket');
    await pane(b).getByRole('button', { name: 'Application', exact: true }).click();
    await until(
      () => frameLabels(b),
      (l) => l[0] === 'GET /chat (Upgrade: websocket)',
      'the application level again',
    );
  });

  it('clicking a message selects its packet; selecting a packet highlights its message', async () => {
    await arrow(b, 6).click();
    await until(
      () => tree(b.page).getAttribute('aria-label'),
      (l) => l === 'Layers and fields of packet 6',
      'packet 6 in the details',
    );
    expect(await arrow(b, 6).getAttribute('class')).toContain('selected');
    await rowAt(b.page, 8).click();
    await until(
      () => arrow(b, 8).getAttribute('class'),
      (c) => !!c?.includes('selected'),
      'message of packet 8 highlighted',
    );
    expect(await arrow(b, 6).getAttribute('class')).not.toContain('selected');
  });

  it('plays, pauses and steps; each step selects its packet and says what it means', async () => {
    const pb = pane(b).getByRole('group', { name: 'Playback' });
    await pb.getByRole('button', { name: 'First' }).click();
    await until(
      () => position(b).textContent(),
      (t) => !!t?.startsWith('1 /'),
      'the first step',
    );
    await pb.getByRole('button', { name: 'Step forward' }).click();
    await until(
      () => position(b).textContent(),
      (t) => !!t?.startsWith('2 /'),
      'step 2',
    );
    await until(
      () => tree(b.page).getAttribute('aria-label'),
      (l) => l === 'Layers and fields of packet 6',
      'step 2 selects packet 6 (101 Switching Protocols)',
    );
    expect(await caption(b).textContent()).toMatch(/The server accepts the upgrade: 101 Switching Protocols/);
    await pb.getByRole('button', { name: 'Step back' }).click();
    await until(
      () => position(b).textContent(),
      (t) => !!t?.startsWith('1 /'),
      'back to step 1',
    );
    await pb.getByRole('combobox', { name: 'Speed' }).selectOption('10');
    await pb.getByRole('button', { name: 'Play' }).click();
    await until(
      () => position(b).textContent(),
      (t) => Number(t?.split(' /')[0]) >= 4,
      'playback moving',
    );
    await b.page.getByRole('radio', { name: 'Dark' }).click();
    await screenshot(b.page, 'sequence-playing');
    await pb.getByRole('button', { name: 'Pause' }).click();
    // The pause is in the store at once; the position text may show a tick older under load.
    await pb.getByRole('button', { name: 'Play' }).waitFor();
    await new Promise((r) => setTimeout(r, 200));
    const at = await position(b).textContent();
    await new Promise((r) => setTimeout(r, 400));
    expect(await position(b).textContent()).toBe(at);
    expect(b.errors).toEqual([]);
  });

  it('exports the diagram as SVG and as Mermaid text equal to the CLI’s', async () => {
    const exportBtn = pane(b).getByRole('button', { name: /Export/ });
    await exportBtn.click();
    const [svgDl] = await Promise.all([
      b.page.waitForEvent('download'),
      pane(b).getByRole('menuitem', { name: /SVG/ }).click(),
    ]);
    const svgPath = join(tmp.path, 'diagram.svg');
    await svgDl.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Every message of the diagram, not just the rows on screen.
    const n = Number((await position(b).textContent())!.split('/ ')[1]);
    expect((svg.match(/<title>/g) ?? []).length).toBe(n);
    expect(svg).toContain('WS close 1000');

    await exportBtn.click();
    const [mmdDl] = await Promise.all([
      b.page.waitForEvent('download'),
      pane(b).getByRole('menuitem', { name: 'Mermaid text', exact: true }).click(),
    ]);
    const mmdPath = join(tmp.path, 'diagram.mmd');
    await mmdDl.saveAs(mmdPath);
    const text = readFileSync(mmdPath, 'utf8');
    expect(text).toBe(await cli(['diagram', wsPcap, '--stream', 'tcp:0', '--format', 'mermaid']));
  });

  it('projection mode: diagram, encapsulation and caption fill the screen; clicker keys step; Esc leaves', async () => {
    await b.page.keyboard.press('F5');
    const dialog = b.page.getByRole('dialog', { name: 'Projection' });
    await dialog.waitFor();
    await b.page.keyboard.press('Home');
    // − six times: 10× down to 0.1×, so a step takes ten seconds.
    for (let i = 0; i < 6; i++) await b.page.keyboard.press('-');
    expect(await dialog.getByRole('combobox', { name: 'Speed' }).inputValue()).toBe('0.1');
    await b.page.keyboard.press('PageDown');
    await until(
      () => dialog.getByTestId('seq-position').textContent(),
      (t) => !!t?.startsWith('2 /'),
      'PageDown steps',
    );
    // The 101 response (frame 6) goes down the server's stack, gaining its headers.
    const enc = dialog.getByRole('img', { name: /^Encapsulation/ });
    await until(
      () => enc.getAttribute('aria-label'),
      (l) => /Transport: TCP adds a 32-byte header|Internet: IPv4 adds a 20-byte header/.test(l ?? ''),
      'the packet going down the sender’s stack',
    );
    await screenshot(b.page, 'sequence-projection-1080p');
    await b.page.setViewportSize({ width: 3840, height: 2160 });
    await new Promise((r) => setTimeout(r, 300));
    await screenshot(b.page, 'sequence-projection-2160p');
    await b.page.setViewportSize({ width: 1920, height: 1080 });
    await b.page.keyboard.press('End');
    await until(
      () => enc.getAttribute('aria-label'),
      (l) => /Application: \d+ bytes delivered/.test(l ?? ''),
      'the last packet delivered up the receiver’s stack',
    );
    await b.page.keyboard.press('b');
    await dialog.getByRole('img', { name: /Screen blanked/ }).waitFor();
    await b.page.keyboard.press('b');
    await b.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(b.errors).toEqual([]);
  });
});

describe.skipIf(!!chromiumMissing)(`sequence diagram of several conversations ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  const tmp = new TempDir();
  const dnsPcap = join(fixtures, 'dns/dns-udp.pcap');
  const heads = () =>
    pane(b)
      .locator('.seq-head-box')
      .evaluateAll((els) =>
        els.map((e) => [
          e.querySelector('.seq-head-title, input')?.textContent ?? '',
          e.getAttribute('data-lifeline'),
        ]),
      );
  beforeAll(async () => {
    served = await startServe([dnsPcap]);
    b = await openBrowser(served.url, { width: 1920, height: 1080 });
    await waitLoaded(b.page);
    // A conversation chosen in the Conversations tab is the one the Sequence tab opens on.
    await b.page.getByRole('tab', { name: 'Conversations' }).click();
    await b.page
      .getByRole('region', { name: 'Conversations' })
      .locator('tbody tr[data-stream="udp:2"]')
      .click();
    await b.page.getByRole('tab', { name: 'Sequence' }).click();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    tmp.remove();
  });

  it('opens on the conversation chosen in the Conversations tab', async () => {
    await until(
      () => frameLabels(b),
      (l) => l.length === 2,
      'the chosen lookup',
    );
    expect(await frameLabels(b)).toEqual([
      'DNS query A www.example.com',
      'DNS response A www.example.com → CNAME example.com',
    ]);
    expect(
      await pane(b)
        .getByRole('button', { name: /^Choose conversations/ })
        .getAttribute('aria-label'),
    ).toBe('Choose conversations (udp:2)');
  });

  it('draws two DNS lookups at once: two client sockets and the resolver', async () => {
    await pane(b)
      .getByRole('button', { name: /^Choose conversations/ })
      .click();
    const menu = pane(b).getByRole('group', { name: 'Conversations to draw' });
    for (const box of await menu.getByRole('checkbox').all()) await box.uncheck();
    await menu.getByRole('checkbox').nth(0).check();
    await menu.getByRole('checkbox').nth(1).check();
    await pane(b).getByRole('button', { name: 'Done' }).click();
    await until(
      () => arrows(b).count(),
      (n) => n === 4,
      'four DNS messages',
    );
    expect(await heads()).toEqual([
      ['Client', '127.0.0.1:52670'],
      ['Client', '127.0.0.1:52070'],
      ['Resolver', '127.0.0.1:53'],
    ]);
    expect(await frameLabels(b)).toEqual([
      'DNS query A example.com',
      'DNS response A example.com → 192.0.2.10',
      'DNS query AAAA example.com',
      'DNS response AAAA example.com → 2001:db8::10',
    ]);
  });

  it('renames, reorders by drag and hides lifelines', async () => {
    const resolver = pane(b).locator('.seq-head-box[data-lifeline="127.0.0.1:53"]');
    await resolver.dblclick();
    const input = pane(b).getByRole('textbox', { name: 'Name for 127.0.0.1:53' });
    await input.fill('DNS server');
    await input.press('Enter');
    await until(heads, (h) => h[2]?.[0] === 'DNS server', 'the new name');
    // Drag the resolver to the left edge.
    const box = (await resolver.boundingBox())!;
    await b.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await b.page.mouse.down();
    await b.page.mouse.move(box.x + box.width / 2 - box.width * 2.2, box.y + box.height / 2, { steps: 8 });
    await b.page.mouse.up();
    await until(heads, (h) => h[0]?.[1] === '127.0.0.1:53', 'the resolver first');
    await b.page.getByRole('radio', { name: 'High contrast' }).click();
    await screenshot(b.page, 'sequence-dns-contrast');
    await pane(b).getByRole('button', { name: 'Hide Client 127.0.0.1:52070' }).click();
    await until(
      () => arrows(b).count(),
      (n) => n === 2,
      'the hidden client’s messages gone',
    );
    await pane(b).getByRole('button', { name: 'Show 1 hidden' }).click();
    await until(
      () => arrows(b).count(),
      (n) => n === 4,
      'all four back',
    );
    expect(b.errors).toEqual([]);
  });

  it('exports a PNG of the whole diagram', async () => {
    await pane(b)
      .getByRole('button', { name: /Export/ })
      .click();
    const [dl] = await Promise.all([
      b.page.waitForEvent('download'),
      pane(b).getByRole('menuitem', { name: 'PNG', exact: true }).click(),
    ]);
    const path = join(tmp.path, 'diagram.png');
    await dl.saveAs(path);
    const png = readFileSync(path);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: width and height, big-endian at 16 and 20; every lifeline and row fits.
    expect(png.readUInt32BE(16)).toBeGreaterThan(600);
    expect(png.readUInt32BE(20)).toBeGreaterThan(300);
    expect(dl.suggestedFilename()).toBe('dns-udp-udp0-udp1.png');
  });
});

describe.skipIf(!!chromiumMissing)(`a long conversation ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  const tmp = new TempDir();
  beforeAll(async () => {
    // 3,000 real segments in one TCP stream (the bulk download's frames, over and over).
    const big = tmp.file('bulk-3000.pcap');
    repeatCapture(join(fixtures, 'captures/lo-http4-bulk.pcap'), 3000, big);
    served = await startServe([big]);
    b = await openBrowser(served.url, { width: 1920, height: 1080 });
    await waitLoaded(b.page);
    await b.page.getByRole('tab', { name: 'Sequence' }).click();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    tmp.remove();
  });

  it('draws only the rows in view, follows playback to the end, and exports every row', async () => {
    await pane(b)
      .getByRole('button', { name: /^Choose conversations/ })
      .click();
    await pane(b).getByRole('group', { name: 'Conversations to draw' }).getByRole('checkbox').first().check();
    await pane(b).getByRole('button', { name: 'Done' }).click();
    await pane(b).getByRole('button', { name: 'Transport', exact: true }).click();
    await until(
      () => position(b).textContent(),
      (t) => t === '1 / 3000',
      'a 3,000-step diagram',
    );
    expect(await pane(b).getByRole('list').getAttribute('aria-label')).toBe('3000 messages');
    expect(await arrows(b).count()).toBeLessThan(120);
    // The minimap: a click near its bottom scrolls there; only the rows there are drawn.
    const map = pane(b).getByRole('scrollbar', { name: 'Minimap' });
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height * 0.9 } });
    await until(
      () => arrows(b).evaluateAll((gs) => Math.min(...gs.map((g) => Number(g.getAttribute('data-frame'))))),
      (f) => f > 2000,
      'the rows near the end drawn',
    );
    expect(await arrows(b).count()).toBeLessThan(120);
    await screenshot(b.page, 'sequence-long-minimap');
    await pane(b).getByRole('button', { name: 'Project' }).click();
    await b.page.keyboard.press('End');
    await until(
      () => position(b).textContent(),
      (t) => t === '3000 / 3000',
      'the last step',
    );
    await until(
      () => arrow(b, 3000).count(),
      (n) => n === 1,
      'the last arrow drawn',
    );
    expect(await arrows(b).count()).toBeLessThan(120);
    await screenshot(b.page, 'sequence-long-end');
    await b.page.keyboard.press('Escape');
    await pane(b)
      .getByRole('button', { name: /Export/ })
      .click();
    const [dl] = await Promise.all([
      b.page.waitForEvent('download'),
      pane(b).getByRole('menuitem', { name: /SVG/ }).click(),
    ]);
    const path = tmp.file('long.svg');
    await dl.saveAs(path);
    expect((readFileSync(path, 'utf8').match(/<title>/g) ?? []).length).toBe(3000);
    expect(b.errors).toEqual([]);
  });
});

describe.skipIf(!!chromiumMissing || !!mermaidMissing)(
  `Mermaid text of the real captures, parsed by mermaid itself in Chromium ${chromiumMissing}${mermaidMissing}`,
  () => {
    it('every capture, every level: mermaid.parse accepts it', async () => {
      const files = [
        'captures/lo-http4.pcap',
        'captures/lo-tcp-rst.pcap',
        'captures/tcp-analysis-edited.pcap',
        'grpc/grpc.pcapng',
        ...['dns', 'websocket', 'http', 'tls'].flatMap((d) =>
          readdirSync(join(fixtures, d))
            .filter((f) => /\.pcapng?$/.test(f))
            .map((f) => `${d}/${f}`),
        ),
      ];
      const texts: { name: string; text: string }[] = [];
      for (const f of files)
        for (const level of ['transport', 'application', 'both'])
          texts.push({
            name: `${f} ${level}`,
            text: await cli(['diagram', join(fixtures, f), '--level', level, '--format', 'mermaid']),
          });
      // Lifelines per stream and per host too (HTTP/2 and gRPC split by stream; loopback as one host).
      for (const f of ['grpc/grpc.pcapng', 'http/http-h2-prior.pcap', 'websocket/ws-basic.pcap'])
        for (const lifelines of ['stream', 'host'])
          texts.push({
            name: `${f} --lifelines ${lifelines}`,
            text: await cli(['diagram', join(fixtures, f), '--level', 'both', '--lifelines', lifelines]),
          });
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--no-sandbox', '--headless'],
      });
      try {
        const page = await browser.newPage();
        await page.setContent('<html><body></body></html>');
        await page.addScriptTag({ path: mermaidJs! });
        const refused = await page.evaluate(async (all) => {
          const m = (
            window as unknown as {
              mermaid: { initialize(o: object): void; parse(t: string): Promise<unknown> };
            }
          ).mermaid;
          m.initialize({ startOnLoad: false });
          const out: string[] = [];
          for (const t of all) {
            try {
              await m.parse(t.text);
            } catch (e) {
              out.push(`${t.name}: ${String((e as Error).message ?? e).slice(0, 200)}`);
            }
          }
          return out;
        }, texts);
        expect(refused).toEqual([]);
        expect(texts.length).toBe(files.length * 3 + 6);
      } finally {
        await browser.close();
      }
    });
  },
);
