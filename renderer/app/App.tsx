// The window: toolbar, progress, error banner, then either the start screen or the workspace,
// and the status bar. Files can be dropped anywhere on it. The store is made in main.tsx with the
// backend client and handed down through context.
import { useEffect, useState, type DragEvent } from 'react';
import { StoreContext, useAppStore, type AppStore } from '../state';
import { applyTheme } from '../theme/apply';
import { FindPacket } from './FindPacket';
import { GoToPacket } from './GoToPacket';
import { Notices } from './Notices';
import { ProgressBar } from './ProgressBar';
import type { ShellInfo } from './shell-info';
import { StartScreen } from './StartScreen';
import { StatusBar } from './StatusBar';
import { FilterBar } from './FilterBar';
import { Toolbar } from './Toolbar';
import { useShortcuts } from './use-shortcuts';
import { Workspace } from './Workspace';
import { LabsView } from '../views/labs';
import { LiveDialog, SamplesDialog } from '../views/live';
import './app.css';

export function App({ store, shell }: { store: AppStore; shell: ShellInfo }) {
  return (
    <StoreContext.Provider value={store}>
      <Window store={store} shell={shell} />
    </StoreContext.Provider>
  );
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

function Window({ store, shell }: { store: AppStore; shell: ShellInfo }) {
  const capture = useAppStore((s) => s.capture !== null);
  const name = useAppStore((s) => s.capture?.info.name);
  const theme = useAppStore((s) => s.theme);
  const zoom = useAppStore((s) => s.zoom);
  const labs = useAppStore((s) => s.labsOpen);
  // A live capture's pass never reaches 100 % while it runs: the status bar's live line says what
  // it does instead of a progress bar.
  const liveRunning = useAppStore((s) => !!s.capture?.live?.running);
  const [dragging, setDragging] = useState(false);
  useShortcuts(store);

  useEffect(() => store.getState().bindLive(), [store]);

  useEffect(() => {
    applyTheme(document.documentElement, theme, zoom);
  }, [theme, zoom]);

  useEffect(() => {
    document.title = name ? `${name} — Wirescope` : 'Wirescope';
  }, [name]);

  return (
    <div
      className="app"
      onDragEnter={(e) => {
        if (hasFiles(e)) setDragging(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null || !(e.currentTarget as Node).contains(e.relatedTarget as Node))
          setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f) void store.getState().openFile(f);
      }}
    >
      <Toolbar />
      {capture && !labs && <FilterBar />}
      {!liveRunning && <ProgressBar />}
      <Notices />
      {labs ? <LabsView /> : capture ? <Workspace /> : <StartScreen shell={shell} />}
      <StatusBar />
      <GoToPacket />
      <LiveDialog />
      <SamplesDialog />
      {capture && <FindPacket />}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>Drop the capture to open it</div>
        </div>
      )}
    </div>
  );
}
