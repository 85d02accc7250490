// Serve mode in real Chromium: a page served by the serve-mode HTTP server, under the app's strict
// CSP, runs the real renderer/api client (bundled by esbuild) against the real backend: the
// socket opens from the page's own origin with the token from the address, rows arrive, and a
// file chosen in an <input type=file> is streamed up in chunks and indexed. No CSP violations.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from './server';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipReason = existsSync(chromiumPath)
  ? ''
  : `Chromium is not installed at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;
const root = resolve(import.meta.dirname, '../..');
const web = join(root, 'tests/fixtures/cli/web.pcapng');

const ENTRY = `
import { getApi } from ${JSON.stringify(join(root, 'renderer/api/index.ts'))};
const api = getApi();
const w = window;
w.log = [];
api.on('capture.opened', (c) => w.log.push('opened ' + c.origin));
api.on('capture.finished', (s) => w.log.push('finished ' + s.info.origin + ' ' + s.phase + ' ' + s.progress.packets));
w.hello = api.call('app.hello').then(async (h) => {
  const rows = await api.call('packets.rows', { capture: h.captures[0].info.id, from: 0, count: 3 });
  return { shell: h.shell, captures: h.captures.map((c) => c.info.name), rows: rows.rows.map((r) => [r.number, r.protocol, r.color]) };
}, (e) => ({ error: String(e) }));
document.getElementById('f').addEventListener('change', (ev) => {
  const file = ev.target.files[0];
  const sent = [];
  w.upload = api.openFile(file, { onProgress: (n) => sent.push(n) }).then(
    (info) => ({ info, sent }),
    (e) => ({ error: String(e) }),
  );
});
`;

if (skipReason) {
  it.skip(`serve mode in Chromium: skipped, ${skipReason}`, () => {});
} else {
  describe('serve mode in Chromium', () => {
    let dir = '';
    let serve: ServeHandle;
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wirescope-serve-chromium-'));
      const bundle = join(dir, 'web');
      mkdirSync(bundle);
      writeFileSync(join(dir, 'entry.ts'), ENTRY);
      await build({
        entryPoints: [join(dir, 'entry.ts')],
        outfile: join(bundle, 'app.js'),
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        logLevel: 'silent',
      });
      // Chromium asks for /favicon.ico on its own; the real bundle links its icon instead.
      writeFileSync(join(bundle, 'favicon.ico'), '');
      writeFileSync(
        join(bundle, 'index.html'),
        '<!doctype html><title>Wirescope</title><input type="file" id="f"><script type="module" src="./app.js"></script>',
      );
      serve = await startServe({
        root: bundle,
        files: [web],
        version: 'test',
        backend: { uploadDir: dir, capture: { chunkSize: 64 << 10 } },
      });
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          '--disable-sync',
        ],
      });
      page = await browser.newPage();
      await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(serve.url);
    });

    afterAll(async () => {
      await browser?.close();
      await serve?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('connects with the token from the address and lists the command-line capture', async () => {
      const hello = await page.evaluate(() => (window as unknown as { hello: Promise<unknown> }).hello);
      expect(hello).toEqual({
        shell: 'serve',
        captures: ['web.pcapng'],
        rows: [
          [1, expect.any(String), expect.anything()],
          [2, expect.any(String), expect.anything()],
          [3, expect.any(String), expect.anything()],
        ],
      });
    });

    it('streams a picked file to the backend in chunks and indexes it', async () => {
      await page.setInputFiles('#f', web);
      const r = (await page.evaluate(() => (window as unknown as { upload: Promise<unknown> }).upload)) as {
        info: { name: string; origin: string; size: number };
        sent: number[];
      };
      const size = readFileSync(web).length;
      expect(r.info).toMatchObject({ name: 'web.pcapng', origin: 'upload', size });
      expect(r.sent.at(-1)).toBe(size);
      await expect
        .poll(() =>
          page.evaluate(() =>
            (window as unknown as { log: string[] }).log.filter((l) => l.startsWith('finished upload')),
          ),
        )
        .toEqual([expect.stringMatching(/^finished upload done \d+$/)]);
    });

    it('ran under the CSP without a violation or a page error', async () => {
      expect(
        await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      ).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('refuses the socket to a page of another origin, even with the token', async () => {
      const other = await browser.newPage();
      await other.goto('about:blank');
      const result = await other.evaluate(
        (url) =>
          new Promise<string>((res) => {
            const ws = new WebSocket(url);
            ws.onopen = () => res('open');
            ws.onerror = () => res('refused');
          }),
        serve.socketUrl,
      );
      expect(result).toBe('refused');
      await other.close();
    });
  });
}
