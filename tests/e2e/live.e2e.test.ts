// Live capture from the page, as a person does it in serve mode (Chromium, 1920×1080): the dialog
// lists the interfaces with loopback marked; as root a capture on `lo` with a BPF filter sees the
// traffic this test makes, the status bar counts it, Stop ends it and keeps it, Save as pcapng
// downloads a file tshark reads with the same packets. Then a sample the labs made is opened.
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { until, waitLoaded } from './support/app';
import { chromiumMissing, openBrowser, screenshot, type Browser } from './support/browser';
import { repoRoot, startServe, type Served } from './support/serve';

const root = process.getuid?.() === 0;

describe.skipIf(!!chromiumMissing)(`live capture ${chromiumMissing}`, () => {
  let served: Served;
  let b: Browser;
  let server: Server | null = null;
  beforeAll(async () => {
    served = await startServe([]);
    b = await openBrowser(served.url, { width: 1920, height: 1080 });
    await b.page.getByRole('heading', { name: 'Wirescope' }).waitFor();
  });
  afterAll(async () => {
    await b?.close();
    await served?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('lists the interfaces, loopback marked', async () => {
    await b.page.getByRole('toolbar').getByRole('button', { name: 'Live capture…' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Live capture' });
    const lo = dialog.getByRole('radio', { name: /^lo\b/ });
    await lo.waitFor({ timeout: 20_000 });
    expect(await dialog.locator('.live-iface', { hasText: /^lo/ }).locator('.live-tag').textContent()).toBe(
      'loopback',
    );
    await screenshot(b.page, 'live-dialog');
  });

  it.skipIf(!root)(
    'as root: captures this test’s loopback traffic, counts it live, stops and keeps it',
    async () => {
      // A bounded exchange on loopback: a server on a free port, ten short writes.
      server = createServer((s) => s.on('data', (d) => s.write(d)));
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      const dialog = b.page.getByRole('dialog', { name: 'Live capture' });
      await dialog.getByRole('radio', { name: /^lo\b/ }).check();
      await dialog.getByRole('textbox', { name: /Capture filter/ }).fill(`tcp port ${port}`);
      await dialog.getByRole('button', { name: 'Start' }).click();
      const status = b.page.getByTestId('status-live');
      await status.waitFor({ timeout: 20_000 });
      expect(await status.textContent()).toMatch(/Capturing on lo — \d+ packets?/);
      const sock = connect(port, '127.0.0.1');
      await new Promise<void>((r) => sock.once('connect', () => r()));
      for (let i = 0; i < 10; i++) {
        sock.write(`message ${i}\n`);
        await new Promise((r) => setTimeout(r, 30));
      }
      sock.end();
      const text = await until(
        () => status.textContent(),
        (t) => Number(/— ([\d,]+) packet/.exec(t ?? '')?.[1]?.replace(/,/g, '')) >= 20,
        'the packets of the exchange counted in the status bar',
      );
      expect(text).toMatch(/Capturing on lo/);
      // The list keeps the newest packet in view while capturing (more rows than fit, scrolled down).
      const body = b.page.locator('.packet-body');
      await until(
        () =>
          body.evaluate((el) => ({
            overflow: el.scrollHeight > el.clientHeight,
            atBottom: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
          })),
        (v) => v.overflow && v.atBottom,
        'the list scrolled to its newest packet',
      );
      await screenshot(b.page, 'live-capturing');
      // Scrolled up to read, the list stays where the user put it while packets keep coming.
      await body.evaluate((el) => {
        el.scrollTop = 0;
      });
      await new Promise((r) => setTimeout(r, 200));
      const before = Number(
        /— ([\d,]+) packet/.exec((await status.textContent()) ?? '')?.[1]?.replace(/,/g, ''),
      );
      const more = connect(port, '127.0.0.1');
      await new Promise<void>((r) => more.once('connect', () => r()));
      for (let i = 0; i < 5; i++) {
        more.write(`more ${i}\n`);
        await new Promise((r) => setTimeout(r, 30));
      }
      more.end();
      await until(
        () => status.textContent(),
        (t) => Number(/— ([\d,]+) packet/.exec(t ?? '')?.[1]?.replace(/,/g, '')) >= before + 10,
        'the second exchange counted',
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await body.evaluate((el) => el.scrollTop)).toBe(0);
      await status.getByRole('button', { name: 'Stop' }).click();
      await status.waitFor({ state: 'detached', timeout: 20_000 });
      await waitLoaded(b.page);
      const packets = Number(
        /Packets: ([\d,]+)/
          .exec((await b.page.getByTestId('status-packets').textContent()) ?? '')?.[1]
          ?.replace(/,/g, ''),
      );
      expect(packets).toBeGreaterThanOrEqual(20);
      // No notice claims a problem: the user stopped it.
      expect(await b.page.locator('.notice.warning').count()).toBe(0);

      // Save as pcapng: the download is a file tshark reads, with the packets the page counted.
      const [download] = await Promise.all([
        b.page.waitForEvent('download', { timeout: 30_000 }),
        b.page.getByRole('toolbar').getByRole('button', { name: 'Save as pcapng…' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pcapng$/);
      const path = await download.path();
      if (!tsharkMissing) {
        const rows = tsharkFields(path, ['tcp.port']);
        expect(rows).toHaveLength(packets);
        for (const [ports] of rows) expect(ports.split(',')).toContain(String(port));
      }
      expect(b.errors).toEqual([]);
    },
  );

  it.skipIf(!root)(
    'as root: the capture helper dying is said in plain words, and its packets are kept',
    async () => {
      // A filter no other test uses, so the helper to end is found by its own arguments.
      const port = 40000 + (process.pid % 20000);
      await b.page.getByRole('toolbar').getByRole('button', { name: 'Live capture…' }).click();
      const dialog = b.page.getByRole('dialog', { name: 'Live capture' });
      await dialog.getByRole('radio', { name: /^lo\b/ }).check();
      await dialog.getByRole('textbox', { name: /Capture filter/ }).fill(`udp port ${port}`);
      await dialog.getByRole('button', { name: 'Start' }).click();
      await b.page.getByTestId('status-live').waitFor({ timeout: 20_000 });
      const sock = createSocket('udp4');
      for (let i = 0; i < 5; i++)
        await new Promise<void>((r) => sock.send(`d${i}`, port, '127.0.0.1', () => r()));
      sock.close();
      await until(
        () => b.page.getByTestId('status-live').textContent(),
        (t) => /— 5 packets/.test(t ?? ''),
        'the five datagrams counted',
      );
      // The helper this capture started (a grandchild of the serve process this test started).
      const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
      const helper = ps
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /\b(dumpcap|tcpdump)\b/.test(l) && l.includes(`udp port ${port}`));
      expect(helper, ps).toBeTruthy();
      process.kill(Number(helper!.split(/\s+/)[0]), 'SIGKILL');
      const notice = b.page.locator('.notice.warning');
      await notice.waitFor({ timeout: 20_000 });
      expect(await notice.locator('.notice-title').textContent()).toBe(
        'The capture on lo stopped on its own',
      );
      expect(await notice.locator('.notice-kept').textContent()).toBe(
        'The 5 packets captured before it stopped are kept.',
      );
      await b.page.getByTestId('status-live').waitFor({ state: 'detached' });
      await waitLoaded(b.page);
      expect(await b.page.getByTestId('status-packets').textContent()).toMatch(/Packets: 5\b/);
      await screenshot(b.page, 'live-helper-died');
    },
  );

  it('opens a sample the labs made', async () => {
    await b.page.getByRole('toolbar').getByRole('button', { name: 'Samples' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Sample captures made by the labs' });
    const first = dialog.locator('button.sample').first();
    await first.waitFor({ timeout: 20_000 });
    const name = await first.locator('.sample-name').textContent();
    await first.click();
    // The capture before it stays on screen until the sample opens: wait for its name.
    await until(
      () => b.page.locator('.status-file').textContent(),
      (t) => !!t?.includes(name!.replace(/\.pcapng$/, '')),
      'the sample opened',
    );
    await waitLoaded(b.page);
    const packets = Number(
      /Packets: ([\d,]+)/
        .exec((await b.page.getByTestId('status-packets').textContent()) ?? '')?.[1]
        ?.replace(/,/g, ''),
    );
    expect(packets).toBeGreaterThan(0);
    await screenshot(b.page, 'live-sample-open');
    expect(b.errors).toEqual([]);
  });

  it('a sample the tap made says so: badge in the status bar, the details and on every row', async () => {
    await b.page.getByRole('toolbar').getByRole('button', { name: 'Samples' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Sample captures made by the labs' });
    const tapSample = dialog.locator('button.sample', {
      has: b.page.locator('.sample-name', { hasText: /tap/ }),
    });
    await tapSample.first().waitFor({ timeout: 20_000 });
    await tapSample.first().click();
    await waitLoaded(b.page);
    const details = b.page.getByRole('region', { name: 'Packet details' });
    const badge = details.getByTestId('tap-badge');
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.textContent()).toContain('Headers reconstructed (tap)');
    expect(await badge.textContent()).toContain('Payload and timing are real');
    await b.page.getByRole('contentinfo', { name: 'Status' }).getByTestId('tap-badge').waitFor();
    const rows = b.page.getByRole('grid').locator('.packet-spacer > [role=row]:not([aria-busy])');
    const marked = await rows.evaluateAll((rs) => rs.map((r) => r.classList.contains('reconstructed')));
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every(Boolean)).toBe(true);
    await screenshot(b.page, 'live-tap-sample-badge');
    expect(b.errors).toEqual([]);
  });

  it('a sample captured off the wire has no tap badge', async () => {
    await b.page.getByRole('toolbar').getByRole('button', { name: 'Samples' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Sample captures made by the labs' });
    await dialog.locator('button.sample', { hasText: 'websocket-lab.pcapng' }).click();
    await until(
      () => b.page.locator('.status-file').textContent(),
      (t) => !!t?.startsWith('websocket-lab.pcapng'),
      'the wire sample opened',
    );
    await waitLoaded(b.page);
    await b.page.getByRole('tree').waitFor();
    expect(await b.page.getByTestId('tap-badge').count()).toBe(0);
    expect(await b.page.locator('.packet-row.reconstructed').count()).toBe(0);
  });
});

// The app never runs privileged: served by a user without capture rights (nobody), the dialog says
// so in plain words, with what to grant, and offers the labs through the tap instead.
describe.skipIf(!!chromiumMissing || !root)(`live capture not permitted ${chromiumMissing}`, () => {
  let b: Browser;
  let kill: (() => void) | null = null;
  let served: Served | null = null;
  beforeAll(async () => {
    // Built (if needed) by the normal start; then the built server runs as nobody.
    served = await startServe([]);
    await served.close();
    const child = spawn(process.execPath, [join(repoRoot, 'out/serve/serve.mjs'), '--port', '0'], {
      cwd: '/tmp',
      uid: 65534,
      gid: 65534,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', HOME: '/tmp' },
    });
    kill = () => child.kill('SIGTERM');
    let out = '';
    const url = await new Promise<string>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`serve as nobody printed no address: ${out}`)), 30_000);
      const on = (d: Buffer) => {
        out += d.toString();
        const m = /Wirescope at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          res(m[1]);
        }
      };
      child.stdout!.on('data', on);
      child.stderr!.on('data', on);
    });
    b = await openBrowser(url, { width: 1920, height: 1080 });
    await b.page.getByRole('heading', { name: 'Wirescope' }).waitFor();
  });
  afterAll(async () => {
    await b?.close();
    kill?.();
  });

  it('says why, what to grant, and offers a lab through the tap', async () => {
    await b.page.getByRole('toolbar').getByRole('button', { name: 'Live capture…' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Live capture' });
    const denied = dialog.getByRole('region', { name: 'Capture not permitted' });
    await denied.waitFor({ timeout: 30_000 });
    expect(await denied.locator('.live-problem').textContent()).toBeTruthy();
    const grant = (await denied.locator('.live-grant li').allTextContents()).join('\n');
    expect(grant).toMatch(/setcap cap_net_raw,cap_net_admin=eip|wireshark/);
    // Nothing to start: the interfaces are named, not offered.
    expect(await dialog.getByRole('button', { name: 'Start' }).count()).toBe(0);
    expect(await dialog.locator('.live-iface-line').textContent()).toContain('lo (loopback)');
    await screenshot(b.page, 'live-not-permitted');
    await denied.getByRole('button', { name: 'Open a lab (uses the tap, no privileges)' }).click();
    const labs = b.page.getByRole('main', { name: 'Labs' });
    expect(await labs.getByRole('radio', { name: /^Capture/ }).isDisabled()).toBe(true);
    expect(await labs.getByRole('radio', { name: /^Tap/ }).isChecked()).toBe(true);
    await labs.getByTestId('capture-mode-reason').waitFor();
    await screenshot(b.page, 'labs-capture-mode-off');
    expect(b.errors).toEqual([]);
  });
});
