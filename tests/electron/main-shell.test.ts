// The BUILT main process (out/main/main.js as electron-vite makes it) run in plain Node against a
// recording stand-in for the `electron` module: it checks the security wiring main sets up (window
// preferences, the app:// handler, navigation, new-window and permission handlers) on machines
// without the Electron binary. launch.test.ts checks the same from inside a real Electron where
// the binary exists; this test cannot tell whether Electron honours the settings, only that main
// asks for them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VERBS,
  type ApiResult,
  type CaptureInfo,
  type CaptureState,
  type Hello,
  type RowBatch,
} from '../../shared/contract/api';
import { buildDesktopApp, repoRoot } from './build-app';

const capture = join(repoRoot, 'tests/fixtures/cli/web.pcapng');

const FAKE_ELECTRON = `
const rec = (globalThis.__electron = {
  schemes: null, sandbox: false, paths: {}, handlers: {}, windows: [], loaded: [], perm: {}, quit: false,
  ipc: {}, sent: [], dialogs: [], menu: null, recentDocs: [], pickAnswer: null,
});
class Emitter {
  constructor() { this.listeners = {}; }
  on(e, f) { (this.listeners[e] ??= []).push(f); return this; }
  once(e, f) { return this.on(e, f); }
  emit(e, ...a) { for (const f of this.listeners[e] ?? []) f(...a); }
}
let ready;
let isReady = false;
export const readyNow = new Promise((r) => (ready = r));
export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  setPath(k, v) { rec.paths[k] = v; },
  getPath(k) { return rec.paths[k] ?? '/nonexistent/' + k; },
  getVersion() { return '0.1.0-test'; },
  enableSandbox() { rec.sandbox = true; },
  whenReady() { return readyNow; },
  isReady() { return isReady; },
  requestSingleInstanceLock() { return true; },
  addRecentDocument(p) { rec.recentDocs.push(p); },
  quit() { rec.quit = true; },
  fireReady: () => { isReady = true; ready(); },
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
export const screen = {
  getAllDisplays: () => [{ id: 1, label: 'Built-in', internal: true, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getDisplayMatching: () => ({ id: 1, label: 'Built-in', internal: true, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
};
export const ipcMain = {
  handle(channel, f) { rec.ipc[channel] = f; },
  removeHandler(channel) { delete rec.ipc[channel]; },
};
export const dialog = {
  showOpenDialog(...a) {
    rec.dialogs.push(a.at(-1));
    return Promise.resolve(rec.pickAnswer ? { canceled: false, filePaths: [rec.pickAnswer] } : { canceled: true, filePaths: [] });
  },
};
export const Menu = {
  buildFromTemplate(t) { return t; },
  setApplicationMenu(m) { rec.menu = m; },
};
let nextContents = 1;
export class BrowserWindow extends Emitter {
  static all = [];
  static getAllWindows() { return BrowserWindow.all; }
  static getFocusedWindow() { return BrowserWindow.all[0] ?? null; }
  constructor(options) {
    super();
    rec.windows.push(options);
    BrowserWindow.all.push(this);
    const contents = new Emitter();
    contents.id = nextContents++;
    contents.send = (...a) => rec.sent.push(a);
    contents.isDestroyed = () => false;
    this.webContents = contents;
  }
  loadURL(url) { rec.loaded.push(url); return Promise.resolve(); }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  focus() {}
  show() {}
}
`;

// Drives main like Electron would: ready, then a web-contents-created for a page, then requests,
// then IPC calls as the preload makes them, from the window and from senders that must be refused.
const DRIVER = `
import { pathToFileURL } from 'node:url';
const [mainJs, capture] = process.argv.slice(2);
const electron = await import('electron');
await import(pathToFileURL(mainJs).href);
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

const win = electron.BrowserWindow.all[0];
const good = { sender: { id: win.webContents.id }, senderFrame: { url: 'app://wirescope/index.html', parent: null } };
const call = (event, verb, input) => rec.ipc['wirescope:' + verb](event, input);
const hello = await call(good, 'app.hello');
const refused = {
  subFrame: await call({ ...good, senderFrame: { url: 'app://wirescope/index.html', parent: {} } }, 'app.hello'),
  foreignOrigin: await call({ ...good, senderFrame: { url: 'https://evil.example/', parent: null } }, 'app.hello'),
  fileOrigin: await call({ ...good, senderFrame: { url: 'file:///tmp/x.html', parent: null } }, 'app.hello'),
  otherContents: await call({ ...good, sender: { id: 999 } }, 'app.hello'),
  goneFrame: await call({ ...good, senderFrame: null }, 'app.hello'),
  badInput: await call(good, 'packets.rows', { capture: 'c1', from: 'x', count: 1 }),
  twoArgs: await rec.ipc['wirescope:app.hello'](good, undefined, 'extra'),
};
const waitDone = async (id) => {
  for (let i = 0; i < 500; i++) {
    const s = await call(good, 'capture.state', { capture: id });
    if (!s.ok || s.value.phase !== 'indexing') return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
};
const cli = hello.ok ? hello.value.captures[0] : null;
const cliDone = cli ? await waitDone(cli.info.id) : null;
const rows = cli ? await call(good, 'packets.rows', { capture: cli.info.id, from: 0, count: 5 }) : null;
const dropped = await call(good, 'capture.openDropped', { path: capture });
rec.pickAnswer = capture;
const picked = await call(good, 'capture.pick');
const pickedDone = picked.ok ? await waitDone(picked.value.id) : null;
const recentMenu = rec.menu.find((m) => m.label === '&File').submenu.find((m) => m.label === 'Open &Recent').submenu.map((m) => m.label ?? m.type);
const sentBeforeLabs = rec.sent.length;
for (const m of rec.menu.find((m) => m.label === '&Labs').submenu) m.click?.();
const labCommands = rec.sent.slice(sentBeforeLabs).filter((s) => s[0] === 'wirescope:event' && s[1] === 'app.command').map((s) => s[2]?.command);
const events = rec.sent.filter((s) => s[0] === 'wirescope:event').map((s) => s[1]);
console.log(JSON.stringify({
  schemes: rec.schemes, sandbox: rec.sandbox, paths: rec.paths, windows: rec.windows, loaded: rec.loaded,
  cancelled, windowOpen: contents.openHandler?.({ url: 'https://example.com/' }),
  permissionRequest: answers, permissionCheck: rec.perm.check?.({}, 'geolocation', 'app://wirescope', {}),
  devicePermission: rec.perm.device?.({}),
  page: { status: page.status, csp: page.headers.get('content-security-policy'), body: await page.text() },
  escapeStatus: escape.status,
  channels: Object.keys(rec.ipc).sort(),
  hello, refused, cliDone, rows, dropped, picked, pickedDone, dialogs: rec.dialogs, recentMenu, recentDocs: rec.recentDocs, events,
  menus: rec.menu.map((m) => m.label ?? m.role), labCommands,
}, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
process.exit(0);
`;

interface Observed {
  schemes: { scheme: string; privileges: Record<string, boolean> }[];
  sandbox: boolean;
  labCommands: string[];
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
  channels: string[];
  hello: ApiResult<Hello>;
  refused: Record<string, ApiResult<unknown>>;
  cliDone: ApiResult<CaptureState>;
  rows: ApiResult<RowBatch>;
  dropped: ApiResult<CaptureInfo>;
  picked: ApiResult<CaptureInfo>;
  pickedDone: ApiResult<CaptureState>;
  dialogs: { properties: string[]; filters: { extensions: string[] }[] }[];
  recentMenu: string[];
  recentDocs: string[];
  events: string[];
  menus: string[];
}

let dir = '';
let seen: Observed;

beforeAll(async () => {
  dir = await buildDesktopApp();
  // The packaged app carries its production dependencies (electron-builder adds node_modules);
  // main.js imports the ones it does not bundle (ws, for serve mode and the labs) by name.
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(pkg.dependencies)) {
    const from = join(repoRoot, 'node_modules', name);
    const to = join(dir, 'node_modules', name);
    if (!existsSync(from) || existsSync(to)) continue;
    mkdirSync(join(to, '..'), { recursive: true });
    symlinkSync(from, to, 'dir');
  }
  const fake = join(dir, 'node_modules', 'electron');
  mkdirSync(fake, { recursive: true });
  writeFileSync(
    join(fake, 'package.json'),
    JSON.stringify({ name: 'electron', type: 'module', exports: './index.js' }),
  );
  writeFileSync(join(fake, 'index.js'), FAKE_ELECTRON);
  writeFileSync(join(dir, 'driver.mjs'), DRIVER);
  const out = execFileSync(
    process.execPath,
    [join(dir, 'driver.mjs'), join(dir, 'main', 'main.js'), capture],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, WIRESCOPE_USER_DATA: join(dir, 'profile'), ELECTRON_RENDERER_URL: '' },
      timeout: 30_000,
    },
  );
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

describe('main process API wiring (built main.js and its index worker, stand-in electron)', () => {
  it('registers one IPC handler per contract verb, nothing else', () => {
    expect(seen.channels).toEqual(VERBS.map((v) => `wirescope:${v}`).sort());
  });

  it('answers the window that loaded app://, and opens the command-line capture for it', () => {
    expect(seen.hello).toMatchObject({
      ok: true,
      value: { shell: 'electron', version: '0.1.0-test', canPick: true, canOpenPaths: true, notices: [] },
    });
    expect(seen.hello.ok && seen.hello.value.captures.map((c) => c.info)).toEqual([
      {
        id: expect.any(String),
        name: 'web.pcapng',
        path: capture,
        size: expect.any(Number),
        origin: 'command-line',
      },
    ]);
    // The bundled index worker beside main.js indexed it.
    expect(seen.cliDone).toMatchObject({ ok: true, value: { phase: 'done', error: null } });
    expect(seen.rows.ok && seen.rows.value.rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses sub-frames, other origins, other webContents and gone frames, and checks arguments', () => {
    for (const [why, r] of Object.entries(seen.refused)) expect(r.ok, why).toBe(false);
    const code = (r: ApiResult<unknown>) => (r.ok ? 'ok' : r.error.code);
    expect(code(seen.refused.subFrame)).toBe('forbidden');
    expect(code(seen.refused.foreignOrigin)).toBe('forbidden');
    expect(code(seen.refused.fileOrigin)).toBe('forbidden');
    expect(code(seen.refused.otherContents)).toBe('forbidden');
    expect(code(seen.refused.goneFrame)).toBe('forbidden');
    expect(code(seen.refused.badInput)).toBe('bad-input');
    expect(code(seen.refused.twoArgs)).toBe('bad-input');
  });

  it('opens dropped and picked files, records them as recent, and tells the page by events', () => {
    expect(seen.dropped).toMatchObject({ ok: true, value: { origin: 'drop', name: 'web.pcapng' } });
    expect(seen.picked).toMatchObject({ ok: true, value: { origin: 'dialog', name: 'web.pcapng' } });
    expect(seen.pickedDone).toMatchObject({ ok: true, value: { phase: 'done' } });
    expect(seen.dialogs[0].properties).toEqual(['openFile']);
    expect(seen.dialogs[0].filters[0].extensions).toEqual(['pcap', 'pcapng', 'cap']);
    expect(seen.recentMenu).toEqual([capture, 'separator', 'Clear Recent']);
    expect(seen.recentDocs).toContain(capture);
    expect(seen.events).toEqual(
      expect.arrayContaining(['capture.opened', 'capture.finished', 'recent.changed']),
    );
    expect(seen.menus).toEqual(['&File', '&Edit', '&View', '&Labs', '&Help']);
    // Labs › WebSocket and Labs › TCP vs UDP each open their own lab in the page.
    expect(seen.labCommands).toEqual(['lab-websocket', 'lab-tcp-udp']);
  });
});
