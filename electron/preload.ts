// The bridge between the sandboxed renderer and the main process. It runs in an isolated world with
// only `electron`, `events`, `timers` and `url` available, and is bundled to one CommonJS file
// (electron.vite.config.ts). It exposes one function per verb of the API contract and one
// subscribe function per event, built from the contract's lists; never ipcRenderer itself or a
// channel name the page could choose (STYLE.md, "The API contract").
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { EVENT_NAMES, VERBS, type ApiResult, type CaptureInfo } from '../shared/contract/api';
import {
  BRIDGE_KEY,
  EVENT_CHANNEL,
  verbChannel,
  WRAPPED_VERBS,
  type DesktopBridge,
} from '../shared/contract/bridge';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const fn of [...(listeners.get(name) ?? [])]) {
    try {
      fn(payload);
    } catch (e) {
      console.error(`wirescope: a ${name} listener failed`, e);
    }
  }
});

const api = Object.fromEntries(
  VERBS.filter((v) => !WRAPPED_VERBS.includes(v)).map((verb) => [
    verb,
    (input?: unknown): Promise<ApiResult<unknown>> => ipcRenderer.invoke(verbChannel(verb), input),
  ]),
);

const on = Object.fromEntries(
  EVENT_NAMES.map((name) => [
    name,
    (listener: unknown): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError(`wirescope.on['${name}'] needs a function`);
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const fn = listener as (payload: unknown) => void;
      set.add(fn);
      return () => void set.delete(fn);
    },
  ]),
);

// The path comes from the File itself (Electron knows where a dropped or picked file lives); a
// File the page constructed has none, and the page cannot name a path of its own choosing here.
function openDroppedFile(file: unknown): Promise<ApiResult<CaptureInfo>> {
  let path = '';
  try {
    path = webUtils.getPathForFile(file as File);
  } catch {
    path = '';
  }
  if (!path)
    return Promise.resolve({
      ok: false,
      error: { code: 'unsupported', message: 'This file has no path on disk; it is uploaded instead.' },
    });
  return ipcRenderer.invoke(verbChannel('capture.openDropped'), { path });
}

const bridge: DesktopBridge = {
  shell: 'electron',
  versions: Object.freeze({
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
  }),
  api: Object.freeze(api),
  on: Object.freeze(on),
  openDroppedFile,
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, Object.freeze(bridge));
