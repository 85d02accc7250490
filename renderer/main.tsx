// Renderer entry: one React root. The same bundle runs in the Electron window (app:// origin, strict
// CSP) and in a plain browser (vite.config.ts), so nothing here may assume Electron.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { detectShell } from './app/shell-info';
import './theme/base.css';

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App shell={detectShell(globalThis)} />
  </StrictMode>,
);
