// Renderer entry: one React root. The same bundle runs in the Electron window (app:// origin, strict
// CSP) and in a plain browser (serve mode), so nothing here may assume Electron: the API client
// picks the preload bridge or the WebSocket (renderer/api).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getApi } from './api';
import { App } from './app/App';
import { detectShell } from './app/shell-info';
import { bindBackend, createAppStore, readPrefs } from './state';
import { preferredTheme } from './theme/apply';
import './theme/base.css';

function pageStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage refused (sandboxed origin, privacy settings): preferences last for this page only.
    return null;
  }
}

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element');

const api = getApi();
const storage = pageStorage();
const store = createAppStore(api, {
  storage,
  prefs: readPrefs(
    storage,
    preferredTheme((q) => window.matchMedia(q).matches),
  ),
});
bindBackend(store, api);
void store.getState().start();

createRoot(container).render(
  <StrictMode>
    <App store={store} shell={detectShell(globalThis)} />
  </StrictMode>,
);
