// The built renderer under the exact headers main serves on app:// (electron/app-protocol.ts),
// loaded in real Chromium: the first screen must render with zero CSP violations, and the policy
// must really be in force (inline script and eval blocked). Served over http on 127.0.0.1 because
// plain Chromium has no app:// handler; the headers and bytes are the ones app:// returns.
import { existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, appProtocolResponse, appResponseHeaders } from '../../electron/app-protocol';
import { buildDesktopApp } from './build-app';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipReason = existsSync(chromiumPath)
  ? ''
  : `Chromium is not installed at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`;

if (skipReason) {
  it.skip(`renderer under the CSP in Chromium: skipped, ${skipReason}`, () => {});
} else {
  describe('renderer under the app:// CSP in Chromium', () => {
    let dir = '';
    let server: Server;
    let browser: Browser;
    let page: Page;
    let base = '';
    const violations: string[] = [];
    const errors: string[] = [];

    beforeAll(async () => {
      dir = await buildDesktopApp();
      const root = join(dir, 'renderer');
      server = createServer((req, res) => {
        // A same-origin script (allowed by script-src 'self') that tries eval, which the policy forbids.
        if (req.url === '/probe-eval.js') {
          res.writeHead(200, appResponseHeaders('probe-eval.js'));
          res.end(
            "try { eval('1'); window.evalResult = 'allowed'; } catch (e) { window.evalResult = e.name; }",
          );
          return;
        }
        void appProtocolResponse(root, `${APP_ORIGIN}${req.url ?? '/'}`, req.method).then(async (r) => {
          res.writeHead(r.status, Object.fromEntries(r.headers));
          res.end(Buffer.from(await r.arrayBuffer()));
        });
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
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
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${base}/index.html`);
      await page.waitForSelector('h1');
      violations.push(
        ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
      );
    });

    afterAll(async () => {
      await browser?.close();
      await new Promise((done) => server?.close(done));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('renders the first screen with no CSP violation and no error', async () => {
      expect(await page.textContent('h1')).toBe('Wirescope');
      expect(await page.textContent('#open-title')).toBe('Open a capture');
      expect(await page.textContent('footer')).toBe('Browser view');
      expect(violations).toEqual([]);
      // This server has no backend behind it (no preload bridge, no /api socket): the page's one
      // expected complaint is its WebSocket being refused, which it then shows in its own banner.
      expect(
        errors.filter(
          (e) => !/^WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/api\?token=' failed/.test(e),
        ),
      ).toEqual([]);
    });

    it('applies the stylesheet (style-src self)', async () => {
      const display = await page.evaluate(() => getComputedStyle(document.querySelector('main')!).display);
      expect(display).toBe('flex');
    });

    it('enforces the policy: inline script and eval are blocked', async () => {
      const result = await page.evaluate(async () => {
        const w = window as unknown as { inlineRan?: boolean; evalResult?: string; cspViolations: string[] };
        const inline = document.createElement('script');
        inline.textContent = 'window.inlineRan = true';
        document.head.append(inline);
        const probe = document.createElement('script');
        probe.src = '/probe-eval.js';
        await new Promise((done) => {
          probe.onload = done;
          probe.onerror = done;
          document.head.append(probe);
        });
        return {
          inlineRan: w.inlineRan === true,
          evalResult: w.evalResult,
          violations: [...w.cspViolations],
        };
      });
      expect(result.inlineRan).toBe(false);
      expect(result.evalResult).toBe('EvalError');
      expect(result.violations.some((v) => v.startsWith('script-src-elem inline'))).toBe(true);
    });
  });
}
