// The one zustand store, made of slices (STYLE.md, "State: one zustand store, sliced"). It is
// created per page with the backend client it talks to, so tests build it with a fake backend
// and no window. Views read it through use-app-store.ts.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Backend } from './backend';
import { createCaptureSlice, type CaptureSlice } from './capture-slice';
import { createColoringSlice, type ColoringSlice } from './coloring-slice';
import { createConversationsSlice, type ConversationsSlice } from './conversations-slice';
import { createListSlice, type ListSlice } from './list-slice';
import { createLiveSlice, type LiveSlice } from './live-slice';
import { createPrefsSlice, type Prefs, type PrefsSlice, type PrefsStorage } from './prefs-slice';
import { createSelectionSlice, type SelectionSlice } from './selection-slice';
import { createSequenceSlice, type SequenceSlice } from './sequence-slice';
import { createStatsSlice, type StatsSlice } from './stats-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type Store = CaptureSlice &
  ListSlice &
  SelectionSlice &
  ConversationsSlice &
  PrefsSlice &
  UiSlice &
  SequenceSlice &
  StatsSlice &
  LiveSlice &
  ColoringSlice;
export type AppStore = StoreApi<Store>;

export interface StoreOptions {
  storage?: PrefsStorage | null;
  prefs?: Prefs;
}

export function createAppStore(backend: Backend, opts: StoreOptions = {}): AppStore {
  const prefs = opts.prefs ?? { theme: 'dark', zoom: 1 };
  return createStore<Store>()((...a) => ({
    ...createCaptureSlice(backend)(...a),
    ...createListSlice(backend)(...a),
    ...createSelectionSlice(backend)(...a),
    ...createConversationsSlice(backend)(...a),
    ...createPrefsSlice(opts.storage ?? null, prefs)(...a),
    ...createUiSlice(...a),
    ...createSequenceSlice(backend)(...a),
    ...createStatsSlice(backend)(...a),
    ...createLiveSlice(backend)(...a),
    ...createColoringSlice(opts.storage ?? null)(...a),
  }));
}
