// The bridge between the sandboxed renderer and the main process. It runs in an isolated world with
// only `electron`, `events`, `timers` and `url` available, and is bundled to one CommonJS file
// (electron.vite.config.ts). It exposes values and, later, verbs built from the API contract; never
// ipcRenderer itself or a raw channel name (STYLE.md, "The API contract").
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld(
  'wirescope',
  Object.freeze({
    shell: 'electron',
    versions: Object.freeze({
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
    }),
  }),
);
