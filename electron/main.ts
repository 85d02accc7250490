// Electron's main process: windows and the security shell, nothing else. Everything that can run
// in plain Node (files, sockets, the engine) lives elsewhere in electron/ and shared/, so it is
// testable without Electron (DESIGN.md, "Processes and rooms"). Hardening follows Electron's
// security checklist: https://www.electronjs.org/docs/latest/tutorial/security
import { join } from 'node:path';
import { app, BrowserWindow, protocol, session, type WebContents } from 'electron';
import { APP_ORIGIN, APP_SCHEME, appProtocolResponse } from './app-protocol';

// Output layout of electron-vite: out/main/main.js, out/preload/preload.cjs, out/renderer/. Paths
// are taken relative to this file, not the app path, so a build in any folder runs as built.
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

function lockDown(contents: WebContents): void {
  // The app is one page: any navigation is either a bug or content trying to take the window.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createWindow(): BrowserWindow {
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
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devServer ? devServer.href : `${APP_ORIGIN}/index.html`);
  return win;
}

app.on('web-contents-created', (_event, contents) => lockDown(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

void app.whenReady().then(() => {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererRoot, request.url, request.method));
  const ses = session.defaultSession;
  // Wirescope needs no camera, microphone, notifications, HID/USB/serial or anything else a page
  // can ask for; the backend does its work in the main process, not through web permissions.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});
