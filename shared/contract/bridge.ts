// The shape of what electron/preload.ts exposes on `window.wirescope`, and the IPC channel names
// it and electron/ipc agree on. The renderer reads the bridge only through renderer/api, which
// offers the same ApiClient over the WebSocket in serve mode.
import type { ApiResult, CaptureInfo, EventName, Verb } from './api';

export const BRIDGE_KEY = 'wirescope';

/** IPC channel of one verb (ipcRenderer.invoke / ipcMain.handle). */
export function verbChannel(verb: Verb): string {
  return `wirescope:${verb}`;
}

/** The one channel events travel on, as (name, payload). */
export const EVENT_CHANNEL = 'wirescope:event';

/** Verbs the preload does not expose as plain functions (it wraps them). */
export const WRAPPED_VERBS: readonly Verb[] = ['capture.openDropped'];

export interface DesktopBridge {
  readonly shell: 'electron';
  readonly versions: { readonly electron: string; readonly chrome: string };
  /** One function per contract verb (except the wrapped ones), resolving to the typed result. */
  readonly api: Readonly<Partial<Record<Verb, (input?: unknown) => Promise<ApiResult<unknown>>>>>;
  /** One subscribe function per event; each returns its unsubscribe function. */
  readonly on: Readonly<Partial<Record<EventName, (listener: (payload: unknown) => void) => () => void>>>;
  /**
   * Opens a File the user dropped or picked, by the path Electron knows for it. A File the page
   * made itself has no path: then the result is `unsupported` and the caller uploads it instead.
   */
  openDroppedFile(file: unknown): Promise<ApiResult<CaptureInfo>>;
}
