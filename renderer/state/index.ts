// The store and its pieces, for the views (renderer/views/*) and the shell (renderer/app).
export { bindBackend, runCommand } from './events';
export { createAppStore, type AppStore, type Store, type StoreOptions } from './store';
export { StoreContext, useAppStore, useAppStoreApi } from './use-app-store';
export type { Backend, ConnectionState } from './backend';
export type { Opening } from './capture-slice';
export type { ConversationFilter, ScrollRequest } from './list-slice';
export { readPrefs, THEMES, ZOOM_STEPS, type Prefs, type Theme } from './prefs-slice';
export type { SidePanel } from './ui-slice';
export {
  captureModeReason,
  MAX_LAB_EVENTS,
  modeAllowed,
  PACE_MS,
  type Downloader,
  type Handshake,
  type Pacing,
} from './live-slice';
export { ROW_BLOCK } from './row-cache';
export { sizeText, type Notice } from './notices';
export {
  fieldAtByte,
  findByAbbrev,
  itemAtPath,
  rangeOf,
  refKey,
  resolveRef,
  sameRef,
  walkItems,
  type ByteRange,
  type FieldRef,
  type FieldSelection,
} from './tree';
