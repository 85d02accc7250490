// Wires the backend's events and connection state into the store; returns the function that
// undoes it (every subscription the client gives returns its unsubscribe).
import type { AppCommand } from '../../shared/contract/api';
import type { Backend } from './backend';
import { noticeOfError } from './notices';
import type { AppStore } from './store';

/** What a native menu command (or the same key in the page) does. */
export function runCommand(store: AppStore, command: AppCommand): void {
  const s = store.getState();
  switch (command) {
    case 'open':
      void s.openDialog();
      break;
    case 'close-capture':
      void s.closeCapture();
      break;
    case 'cancel':
      void s.cancel();
      break;
    case 'go-to-packet':
      if (s.capture) s.setGoToOpen(true);
      break;
    case 'zoom-in':
      s.zoomBy(1);
      break;
    case 'zoom-out':
      s.zoomBy(-1);
      break;
    case 'zoom-reset':
      s.zoomReset();
      break;
    case 'theme-light':
      s.setTheme('light');
      break;
    case 'theme-dark':
      s.setTheme('dark');
      break;
    case 'theme-contrast':
      s.setTheme('contrast');
      break;
  }
}

export function bindBackend(store: AppStore, backend: Backend): () => void {
  const s = () => store.getState();
  s().setConnection(backend.connection);
  const offs = [
    backend.on('capture.opened', (info) => s().captureOpened(info)),
    backend.on('capture.progress', (p) => s().captureProgress(p)),
    backend.on('capture.finished', (st) => s().captureFinished(st)),
    backend.on('capture.closed', ({ capture }) => s().captureClosed(capture)),
    backend.on('recent.changed', (list) => s().recentChanged(list)),
    backend.on('app.command', ({ command }) => runCommand(store, command)),
    backend.on('app.notice', (e) => s().notify(noticeOfError('A file could not be opened', e))),
    backend.onConnection((c) => {
      if (c === 'closed') s().connectionLost();
      else s().setConnection(c);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
