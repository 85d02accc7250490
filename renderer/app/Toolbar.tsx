// The window's toolbar: open (button, Ctrl+O, the page's file picker in a browser), recent files,
// close, go to packet, the conversation filter in force, the colour legend, theme and zoom; live
// capture, the labs, the samples and Save as pcapng.
import { useEffect, useRef, useState } from 'react';
import { THEMES, useAppStore, useAppStoreApi, type Theme } from '../state';
import { ColoringRules } from './ColoringRules';

const THEME_LABEL: Record<Theme, string> = { light: 'Light', dark: 'Dark', contrast: 'High contrast' };
/** What the picker offers first; any file can still be chosen (the backend reads the content). */
export const CAPTURE_ACCEPT = '.pcap,.pcapng,.cap,.ntar,application/vnd.tcpdump.pcap';

export function Toolbar() {
  const store = useAppStoreApi();
  const capture = useAppStore((s) => s.capture);
  const recent = useAppStore((s) => s.recent);
  const filter = useAppStore((s) => s.view.conversation);
  const theme = useAppStore((s) => s.theme);
  const zoom = useAppStore((s) => s.zoom);
  const legendOpen = useAppStore((s) => s.legendOpen);
  const labsOpen = useAppStore((s) => s.labsOpen);
  const saving = useAppStore((s) => s.saving);
  const input = useRef<HTMLInputElement>(null);
  const [recentOpen, setRecentOpen] = useState(false);

  useEffect(() => {
    store.getState().registerFilePicker(() => input.current?.click());
    return () => store.getState().registerFilePicker(null);
  }, [store]);

  return (
    <header className="toolbar" role="toolbar" aria-label="Wirescope">
      <span className="brand" aria-hidden="true">
        <img src="./icon.svg" alt="" width="22" height="22" />
        Wirescope
      </span>
      <button
        type="button"
        className="btn primary"
        onClick={() => void store.getState().openDialog()}
        title="Open a capture file (Ctrl+O)"
      >
        Open…
      </button>
      <input
        ref={input}
        type="file"
        accept={CAPTURE_ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-label="Capture file"
        data-testid="file-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void store.getState().openFile(f);
        }}
      />
      <button
        type="button"
        className="btn"
        onClick={() => store.getState().openLiveDialog()}
        title="Capture packets from a network interface as they happen"
      >
        Live capture…
      </button>
      <button
        type="button"
        className={`btn${labsOpen ? ' on' : ''}`}
        aria-pressed={labsOpen}
        onClick={() => (labsOpen ? store.getState().closeLabs() : store.getState().openLabs())}
        title="The WebSocket and TCP-vs-UDP labs: real sockets, drawn as they talk"
      >
        Labs
      </button>
      <button
        type="button"
        className="btn quiet"
        onClick={() => store.getState().setSamplesOpen(true)}
        title="Captures the labs made from real traffic"
      >
        Samples
      </button>
      {recent.length > 0 && (
        <div className="menu-anchor">
          <button
            type="button"
            className="btn"
            aria-haspopup="menu"
            aria-expanded={recentOpen}
            onClick={() => setRecentOpen(!recentOpen)}
          >
            Recent ▾
          </button>
          {recentOpen && (
            <div
              role="menu"
              className="menu"
              aria-label="Recent files"
              onMouseLeave={() => setRecentOpen(false)}
            >
              {recent.map((r) => (
                <button
                  key={r.path}
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  title={r.path}
                  onClick={() => {
                    setRecentOpen(false);
                    void store.getState().openRecent(r.path);
                  }}
                >
                  <span className="menu-name">{r.name}</span>
                  <span className="menu-path">{r.path}</span>
                </button>
              ))}
              <button
                type="button"
                role="menuitem"
                className="menu-item quiet"
                onClick={() => {
                  setRecentOpen(false);
                  void store.getState().clearRecent();
                }}
              >
                Clear the list
              </button>
            </div>
          )}
        </div>
      )}
      {capture && (
        <>
          <button
            type="button"
            className="btn"
            onClick={() => store.getState().setGoToOpen(true)}
            title="Go to a packet by number (Ctrl+G)"
          >
            Go to…
          </button>
          <button
            type="button"
            className="btn"
            disabled={saving}
            onClick={() => void store.getState().saveCapture()}
            title="Save this capture as pcapng (interface names, capture filter and comments kept)"
          >
            {saving ? 'Saving…' : 'Save as pcapng…'}
          </button>
          <button
            type="button"
            className="btn quiet"
            onClick={() => void store.getState().closeCapture()}
            title="Close this capture"
          >
            Close
          </button>
        </>
      )}
      {filter && (
        <span className="filter-chip" role="status">
          Showing {filter.kind.toUpperCase()} stream {filter.stream}
          <button
            type="button"
            className="chip-x"
            aria-label="Show every packet"
            onClick={() => store.getState().filterConversation(null)}
          >
            ✕
          </button>
        </span>
      )}
      <span className="toolbar-gap" />
      <div className="menu-anchor">
        <button
          type="button"
          className="btn quiet"
          aria-expanded={legendOpen}
          aria-haspopup="dialog"
          onClick={() => store.getState().setLegendOpen(!legendOpen)}
        >
          Colours
        </button>
        {legendOpen && <ColoringRules />}
      </div>
      <div role="radiogroup" aria-label="Theme" className="segmented">
        {THEMES.map((t) => (
          <button
            key={t}
            type="button"
            role="radio"
            aria-checked={theme === t}
            className={`seg${theme === t ? ' on' : ''}`}
            onClick={() => store.getState().setTheme(t)}
          >
            {THEME_LABEL[t]}
          </button>
        ))}
      </div>
      <div className="zoom" role="group" aria-label="Text size">
        <button
          type="button"
          className="btn quiet"
          aria-label="Smaller text (Ctrl+−)"
          onClick={() => store.getState().zoomBy(-1)}
        >
          A−
        </button>
        <button
          type="button"
          className="btn quiet zoom-value"
          aria-label="Reset text size (Ctrl+0)"
          onClick={() => store.getState().zoomReset()}
        >
          {Math.round(zoom * 100)}%
        </button>
        <button
          type="button"
          className="btn quiet"
          aria-label="Larger text (Ctrl+plus)"
          onClick={() => store.getState().zoomBy(1)}
        >
          A+
        </button>
      </div>
    </header>
  );
}
