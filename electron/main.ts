// Electron's main process: windows, menus, dialogs, file association and the security shell. The
// backend itself (electron/backend) is plain Node and serves the API contract; main only connects
// each window to it through checked IPC handlers (electron/ipc) and offers what needs Electron:
// the native open dialog, the menu, files handed over by the OS. Hardening follows Electron's
// security checklist: https://www.electronjs.org/docs/latest/tutorial/security
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import type { AppCommand } from '../shared/contract/api';
import { EVENT_CHANNEL } from '../shared/contract/bridge';
import { APP_ORIGIN, APP_SCHEME, appProtocolResponse } from './app-protocol';
import { Backend, type PageSession } from './backend/backend';
import { RecentFiles } from './backend/recent-files';
import { registerApiHandlers } from './ipc/api-handlers';

// Output layout of electron-vite: out/main/main.js (+ index-worker.mjs), out/preload/preload.cjs,
// out/renderer/. Paths are taken relative to this file, not the app path, so a build in any folder
// runs as built.
const outDir = join(import.meta.dirname, '..');
const rendererRoot = join(outDir, 'renderer');
const preloadPath = join(outDir, 'preload', 'preload.cjs');

// A throwaway profile for tests, so a launch never touches or depends on the user's profile.
if (process.env.WIRESCOPE_USER_DATA) app.setPath('userData', process.env.WIRESCOPE_USER_DATA);

// `electron-vite dev` serves the renderer from its own dev server; only a loopback http origin is
// accepted, and only in an unpackaged build.
const devServer = (() => {
  const raw = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) ? u : null;
  } catch {
    return null;
  }
})();

// standard + secure: app:// gets a real origin, so 'self' in the CSP and same-origin checks apply.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

const CAPTURE_EXTENSIONS = ['pcap', 'pcapng', 'cap'];

interface WindowPage {
  win: BrowserWindow;
  page: PageSession;
}
/** Each window's backend page, by webContents id: the IPC sender check looks callers up here. */
const windows = new Map<number, WindowPage>();

const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'), Date.now, (added) => {
  if (added) app.addRecentDocument(added);
  buildMenu();
});

const backend = new Backend({
  shell: 'electron',
  version: app.getVersion(),
  recent,
  acceptDroppedPaths: true,
  pickFile: (page) => pickCapture([...windows.values()].find((w) => w.page === page)?.win ?? null),
  present: (page, on) => present([...windows.values()].find((w) => w.page === page)?.win ?? null, on),
});

/** Where each projecting window was before it moved, to put it back. */
const beforeProjection = new Map<BrowserWindow, Electron.Rectangle>();

/**
 * Projection: the window goes full screen on a display other than its own (the projector a
 * teacher plugged in; the external one when there are several), and comes back where it was.
 * With one display it goes full screen where it is. Answers the display's label, or null.
 */
async function present(win: BrowserWindow | null, on: boolean): Promise<string | null> {
  if (!win || win.isDestroyed()) return null;
  if (!on) {
    const bounds = beforeProjection.get(win);
    beforeProjection.delete(win);
    if (win.isFullScreen()) {
      const left = new Promise<void>((resolve) => win.once('leave-full-screen', () => resolve()));
      win.setFullScreen(false);
      await left;
    }
    if (bounds) win.setBounds(bounds);
    return null;
  }
  const here = screen.getDisplayMatching(win.getBounds());
  const others = screen.getAllDisplays().filter((d) => d.id !== here.id);
  const target = others.find((d) => !d.internal) ?? others[0] ?? null;
  if (!beforeProjection.has(win)) beforeProjection.set(win, win.getBounds());
  if (target) {
    const { x, y, width, height } = target.workArea;
    win.setBounds({
      x: x + 40,
      y: y + 40,
      width: Math.min(width - 80, 1280),
      height: Math.min(height - 80, 800),
    });
  }
  win.setFullScreen(true);
  return target ? target.label || `display ${target.id}` : null;
}

async function pickCapture(win: BrowserWindow | null): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open a capture',
    properties: ['openFile'],
    filters: [
      { name: 'Captures (pcap, pcapng)', extensions: CAPTURE_EXTENSIONS },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** Capture files named on a command line (ours, or a second instance's): existing files only. */
function captureArgs(argv: readonly string[], cwd = process.cwd()): string[] {
  const out: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') || /\.(c|m)?js$/.test(a)) continue;
    const p = resolve(cwd, a);
    try {
      if (statSync(p).isFile()) out.push(p);
    } catch {
      // Not a file (the app folder, a Chromium switch's value): not a capture to open.
    }
  }
  return out;
}

function lockDown(contents: WebContents): void {
  // The app is one page: any navigation is either a bug or content trying to take the window.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function connectPage(win: BrowserWindow): PageSession {
  const contents = win.webContents;
  return backend.connect((name, payload) => {
    if (!win.isDestroyed() && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  });
}

function createWindow(files: readonly string[] = []): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Wirescope',
    show: false,
    backgroundColor: '#11161d',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  const id = win.webContents.id;
  const entry: WindowPage = { win, page: connectPage(win) };
  windows.set(id, entry);
  // Indexing starts while the page loads; the page learns of these captures from app.hello.
  for (const f of files) entry.page.openOrNotice(f, 'command-line');
  let loads = 0;
  // A reload is a new page: the old page's captures close, the new one starts empty.
  win.webContents.on('did-navigate', () => {
    if (loads++ === 0) return;
    void entry.page.dispose();
    entry.page = connectPage(win);
  });
  win.on('closed', () => {
    windows.delete(id);
    void entry.page.dispose();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devServer ? devServer.href : `${APP_ORIGIN}/index.html`);
  return win;
}

function targetWindow(): WindowPage | null {
  const focused = BrowserWindow.getFocusedWindow();
  const byFocus = focused ? windows.get(focused.webContents.id) : undefined;
  return byFocus ?? windows.values().next().value ?? null;
}

/** Opens files handed over by the OS or a second instance, in the current window (or a new one). */
function openFromOutside(files: readonly string[]): void {
  if (files.length === 0) return;
  const t = targetWindow();
  if (!t) {
    createWindow(files);
    return;
  }
  for (const f of files) t.page.openOrNotice(f, 'os');
  if (t.win.isMinimized()) t.win.restore();
  t.win.focus();
}

function send(command: AppCommand): void {
  targetWindow()?.page.command(command);
}

async function openWithDialog(): Promise<void> {
  const t = targetWindow();
  const path = await pickCapture(t?.win ?? null);
  if (!path) return;
  if (t) t.page.openOrNotice(path, 'dialog');
  else createWindow([path]);
}

function buildMenu(): void {
  // Keys the page binds itself (zoom, go to packet, close, open) are shown in the menu but not
  // registered as accelerators, so the same key does the same thing in a browser and here.
  const pageKey = (accelerator: string) => ({ accelerator, registerAccelerator: false });
  const recentItems: MenuItemConstructorOptions[] = recent.list().map((r) => ({
    label: r.path,
    click: () => {
      const t = targetWindow();
      if (t) t.page.openOrNotice(r.path, 'recent');
      else createWindow([r.path]);
    },
  }));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: '&Open…', ...pageKey('CmdOrCtrl+O'), click: () => void openWithDialog() },
        {
          label: 'Open &Recent',
          submenu: recentItems.length
            ? [...recentItems, { type: 'separator' }, { label: 'Clear Recent', click: () => recent.clear() }]
            : [{ label: 'No recent captures', enabled: false }],
        },
        // The page lists the samples and the interfaces itself (serve mode has no native menu).
        { label: 'Open &Sample…', click: () => send('open-sample') },
        { label: '&Live Capture…', click: () => send('live-capture') },
        { label: 'Save &As pcapng…', click: () => send('save-capture') },
        { type: 'separator' },
        { label: '&Close Capture', ...pageKey('CmdOrCtrl+W'), click: () => send('close-capture') },
        { label: 'Stop Loading', ...pageKey('Escape'), click: () => send('cancel') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'copy' }, { role: 'selectAll' }] },
    {
      label: '&View',
      submenu: [
        { label: '&Go to Packet…', ...pageKey('CmdOrCtrl+G'), click: () => send('go-to-packet') },
        { type: 'separator' },
        { label: 'Zoom &In', ...pageKey('CmdOrCtrl+='), click: () => send('zoom-in') },
        { label: 'Zoom &Out', ...pageKey('CmdOrCtrl+-'), click: () => send('zoom-out') },
        { label: '&Actual Size', ...pageKey('CmdOrCtrl+0'), click: () => send('zoom-reset') },
        { type: 'separator' },
        {
          label: '&Theme',
          submenu: [
            { label: 'Light', click: () => send('theme-light') },
            { label: 'Dark', click: () => send('theme-dark') },
            { label: 'High Contrast', click: () => send('theme-contrast') },
          ],
        },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      label: '&Labs',
      // Each opens the labs on its own lab (the page's chooser offers the other).
      submenu: [
        { label: '&WebSocket', click: () => send('lab-websocket') },
        { label: '&TCP vs UDP', click: () => send('lab-tcp-udp') },
      ],
    },
    { label: '&Help', submenu: [{ role: 'about' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

// One app instance: a file opened from the OS while Wirescope runs goes to the running window.
const primary = app.requestSingleInstanceLock();
if (!primary) app.quit();
app.on('second-instance', (_event, argv, cwd) => openFromOutside(captureArgs(argv, cwd)));

// macOS hands files over by event, possibly before the app is ready.
const pendingOpen: string[] = [];
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (app.isReady()) openFromOutside([path]);
  else pendingOpen.push(path);
});

app.on('web-contents-created', (_event, contents) => lockDown(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void backend.close());

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererRoot, request.url, request.method));
  const ses = session.defaultSession;
  // Wirescope needs no camera, microphone, notifications, HID/USB/serial or anything else a page
  // can ask for; the backend does its work in the main process, not through web permissions.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  registerApiHandlers(ipcMain, {
    origins: devServer ? [APP_ORIGIN, devServer.origin] : [APP_ORIGIN],
    pageOf: (id) => windows.get(id)?.page ?? null,
  });
  buildMenu();
  if (!primary) return;
  // `npm start -- file.pcap` runs Electron from the package folder; relative paths mean the
  // folder npm was called from (INIT_CWD). A packaged app gets absolute paths from the OS.
  const cwd = (!app.isPackaged && process.env.INIT_CWD) || process.cwd();
  createWindow([...captureArgs(process.argv, cwd), ...pendingOpen.splice(0)]);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
