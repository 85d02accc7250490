// Page-level UI state that more than one component reads: which side panel shows, the Go to
// packet box, the coloring legend, the connection to the backend, and the page's file picker
// (registered by the toolbar so Ctrl+O can open it within the key press's user activation).
import type { StateCreator } from 'zustand';
import type { ConnectionState } from './backend';
import type { Store } from './store';

export type SidePanel = 'layers' | 'conversations' | 'sequence' | 'stats';

export interface UiSlice {
  sidePanel: SidePanel;
  goToOpen: boolean;
  /** The Find packet bar (Ctrl+F). */
  findOpen: boolean;
  legendOpen: boolean;
  connection: ConnectionState;
  /** Opens the page's own file picker (serve mode); null until the toolbar mounts. */
  filePicker: (() => void) | null;

  showSidePanel(panel: SidePanel): void;
  setGoToOpen(open: boolean): void;
  setFindOpen(open: boolean): void;
  setLegendOpen(open: boolean): void;
  setConnection(state: ConnectionState): void;
  registerFilePicker(open: (() => void) | null): void;
}

export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  sidePanel: 'layers',
  goToOpen: false,
  findOpen: false,
  legendOpen: false,
  connection: 'connecting',
  filePicker: null,

  showSidePanel: (sidePanel) => set({ sidePanel }),
  setGoToOpen: (goToOpen) => set({ goToOpen }),
  setFindOpen: (findOpen) => set({ findOpen }),
  setLegendOpen: (legendOpen) => set({ legendOpen }),
  setConnection: (connection) => set({ connection }),
  registerFilePicker: (filePicker) => set({ filePicker }),
});
