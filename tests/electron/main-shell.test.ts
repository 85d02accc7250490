// The BUILT main process (out/main/main.js as electron-vite makes it) run in plain Node against a
// recording stand-in for the `electron` module: it checks the security wiring main sets up (window
// preferences, the app:// handler, navigation, new-window and permission handlers) on machines
// without the Electron binary. launch.test.ts checks the same from inside a real Electron where
// the binary exists; this test cannot tell whether Electron honours the settings, only that main
// asks for them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktopApp } from './build-app';

const FAKE_ELECTRON = `
const rec = (globalThis.__electron = {
  schemes: null, sandbox: false, paths: {}, handlers: {}, windows: [], loaded: [], perm: {}, quit: false,
});
class Emitter {
  constructor() { this.listeners = {}; }
  on(e, f) { (this.listeners[e] ??= []).push(f); return this; }
  once(e, f) { return this.on(e, f); }
  emit(e, ...a) { for (const f of this.listeners[e] ?? []) f(...a); }
}
let ready;
export const readyNow = new Promise((r) => (ready = r));
export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  setPath(k, v) { rec.paths[k] = v; },
  enableSandbox() { rec.sandbox = true; },
  whenReady() { return readyNow; },
  quit() { rec.quit = true; },
  fireReady: () => ready(),
});
export const protocol = {
  registerSchemesAsPrivileged(s) { rec.schemes = s; },
  handle(scheme, f) { rec.handlers[scheme] = f; },
};
export const session = {
  defaultSession: {
    setPermissionRequestHandler(f) { rec.perm.request = f; },
    setPermissionCheckHandler(f) { rec.perm.check = f; },
    setDevicePermissionHandler(f) { rec.perm.device = f; },
  },
};
export class BrowserWindow extends Emitter {
  static all = [];
  static getAllWindows() { return BrowserWindow.all; }
  constructor(options) { super(); rec.windows.push(options); BrowserWindow.all.push(this); }
  loadURL(url) { rec.loaded.push(url); return Promise.resolve(); }
  show() {}
}
`;

// Drives main like Electron would: ready, then a web-contents-created for a page, then requests.
const DRIVER = `
import { pathToFileURL } from 'node:url';
const electron = await import('electron');
await import(pathToFileURL(process.argv[2]).href);
electron.app.fireReady();
await new Promise((r) => setTimeout(r, 0));
const rec = globalThis.__electron;
const contents = Object.assign(Object.create(null), { listeners: {}, openHandler: null });
contents.on = (e, f) => { (contents.listeners[e] ??= []).push(f); return contents; };
contents.setWindowOpenHandler = (f) => { contents.openHandler = f; };
electron.app.emit('web-contents-created', {}, contents);
const cancelled = {};
for (const e of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
  let prevented = false;
  for (const f of contents.listeners[e] ?? []) f({ preventDefault: () => (prevented = true) }, 'https://example.com/');
  cancelled[e] = prevented;
}
const answers = [];
rec.perm.request?.({}, 'media', (granted) => answers.push(granted), {});
const page = await rec.handlers.app({ url: 'app://wirescope/index.html', method: 'GET' });
const escape = await rec.handlers.app({ url: 'app://wirescope/..%2fpackage.json', method: 'GET' });
console.log(JSON.stringify({
  schemes: rec.schemes, sandbox: rec.sandbox, paths: rec.paths, windows: rec.windows, loaded: rec.loaded,
  cancelled, windowOpen: contents.openHandler?.({ url: 'https://example.com/' }),
  permissionRequest: answers, permissionCheck: rec.perm.check?.({}, 'geolocation', 'app://wirescope', {}),
  devicePermission: rec.perm.device?.({}),
  page: { status: page.status, csp: page.headers.get('content-security-policy'), body: await page.text() },
  escapeStatus: escape.status,
}));
`;

interface Observed {
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  sandbox: boolean;
  paths: Record<string, string>;
  windows: { webPreferences: Record<string, unknown> }[];
  loaded: string[];
  cancelled: Record<string, boolean>;
  windowOpen: { action: string };
  permissionRequest: boolean[];
  permissionCheck: boolean;
  devicePermission: boolean;
  page: { status: number; csp: string; body: string };
  escapeStatus: number;
}

let dir = '';
let seen: Observed;

beforeAll(async () => {
  dir = await buildDesktopApp();
  const fake = join(dir, 'node_modules', 'electron');
  mkdirSync(fake, { recursive: true });
  writeFileSync(
    join(fake, 'package.json'),
    JSON.stringify({ name: 'electron', type: 'module', exports: './index.js' }),
  );
  writeFileSync(join(fake, 'index.js'), FAKE_ELECTRON);
  writeFileSync(join(dir, 'driver.mjs'), DRIVER);
  const out = execFileSync(process.execPath, [join(dir, 'driver.mjs'), join(dir, 'main', 'main.js')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, WIRESCOPE_USER_DATA: join(dir, 'profile'), ELECTRON_RENDERER_URL: '' },
    timeout: 30_000,
  });
  seen = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Observed;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('main process security shell (built main.js, stand-in electron)', () => {
  it('registers app:// as a standard secure scheme and sandboxes every renderer', () => {
    expect(seen.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(seen.sandbox).toBe(true);
    expect(seen.paths.userData).toBe(join(dir, 'profile'));
  });

  it('opens one window with isolation, sandbox and no Node, loading the app:// origin', () => {
    expect(seen.windows).toHaveLength(1);
    expect(seen.windows[0].webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: join(dir, 'preload', 'preload.cjs'),
    });
    expect(seen.loaded).toEqual(['app://wirescope/index.html']);
  });

  it('serves the built page through app:// with the CSP, and nothing outside the bundle', () => {
    expect(seen.page.status).toBe(200);
    expect(seen.page.csp).toContain("default-src 'none'");
    expect(seen.page.body).toContain('<div id="root"></div>');
    expect(seen.escapeStatus).toBe(404);
  });

  it('cancels navigation, redirects and webviews, and denies new windows', () => {
    expect(seen.cancelled).toEqual({
      'will-navigate': true,
      'will-redirect': true,
      'will-attach-webview': true,
    });
    expect(seen.windowOpen).toEqual({ action: 'deny' });
  });

  it('denies permission requests, checks and devices', () => {
    expect(seen.permissionRequest).toEqual([false]);
    expect(seen.permissionCheck).toBe(false);
    expect(seen.devicePermission).toBe(false);
  });
});
