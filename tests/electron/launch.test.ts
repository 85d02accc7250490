// Launches the built desktop app in Electron through Playwright and checks the security shell from
// the inside. Needs the Electron binary (downloaded on first use since Electron 42; offline machines
// do not have it) and, on Linux, a display (run under xvfb-run on a headless machine).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary, rootNeedsNoSandbox } from '../../scripts/electron-binary.mjs';
import { buildDesktopApp } from './build-app';

const binary = findElectronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason =
  'missing' in binary
    ? `the Electron binary is not available on this machine (${binary.missing}); run \`npx install-electron\` where there is network access`
    : noDisplay
      ? 'no display for Electron on this Linux machine (DISPLAY/WAYLAND_DISPLAY unset); run the tests under xvfb-run'
      : '';

if (skipReason) {
  it.skip(`desktop app in Electron: skipped, ${skipReason}`, () => {});
} else {
  describe('desktop app in Electron', () => {
    let dir = '';
    let profile = '';
    let app: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
      if ('missing' in binary) return;
      dir = await buildDesktopApp();
      profile = mkdtempSync(join(tmpdir(), 'wirescope-profile-'));
      app = await _electron.launch({
        executablePath: binary.path,
        args: [...(rootNeedsNoSandbox() ? ['--no-sandbox'] : []), dir],
        env: { ...process.env, WIRESCOPE_USER_DATA: profile } as Record<string, string>,
        timeout: 60_000,
      });
      page = await app.firstWindow();
      await page.waitForSelector('h1');
    });

    afterAll(async () => {
      await app?.close();
      for (const d of [dir, profile]) if (d) rmSync(d, { recursive: true, force: true });
    });

    it('shows the first screen from the app:// origin', async () => {
      expect(new URL(page.url()).origin).toBe('app://wirescope');
      expect(await page.title()).toBe('Wirescope');
      expect(await page.textContent('h1')).toBe('Wirescope');
      expect(await page.textContent('#open-title')).toBe('Open a capture');
      expect(await page.textContent('footer')).toMatch(/^Desktop app · Electron \d+\./);
    });

    it('gives the page no Node, only the bridge', async () => {
      const seen = await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        return {
          require: typeof w.require,
          process: typeof w.process,
          shell: (w.wirescope as { shell?: unknown } | undefined)?.shell,
        };
      });
      expect(seen).toEqual({ require: 'undefined', process: 'undefined', shell: 'electron' });
    });

    it('serves the page with the strict CSP header', async () => {
      const csp = await page.evaluate(async () =>
        (await fetch('/index.html')).headers.get('content-security-policy'),
      );
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
    });

    it('denies new windows, navigation and permissions', async () => {
      const opened = await page.evaluate(() => window.open('app://wirescope/index.html') === null);
      expect(opened).toBe(true);
      expect(app.windows()).toHaveLength(1);
      const before = page.url();
      // will-navigate is cancelled in main: the page stays where it is.
      await page.evaluate(() => {
        window.location.href = 'https://example.com/';
      });
      await page.waitForLoadState();
      expect(page.url()).toBe(before);
      const permission = await page.evaluate(
        async () => (await navigator.permissions.query({ name: 'geolocation' })).state,
      );
      expect(permission).toBe('denied');
    });

    it('answers the contract through the bridge, and nothing else', async () => {
      const seen = await page.evaluate(async () => {
        const bridge = (
          window as unknown as {
            wirescope: {
              api: Record<string, (i?: unknown) => Promise<{ ok: boolean; value?: { shell?: string } }>>;
            };
          }
        ).wirescope;
        const hello = await bridge.api['app.hello']();
        const bad = await bridge.api['packets.rows']({ capture: 'c1', from: -1, count: 1 });
        return {
          shell: hello.value?.shell,
          badOk: bad.ok,
          hasInvoke: 'invoke' in bridge || 'ipcRenderer' in bridge,
        };
      });
      expect(seen).toEqual({ shell: 'electron', badOk: false, hasInvoke: false });
    });
  });
}
