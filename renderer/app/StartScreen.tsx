// What a window shows with no capture open: one clear way in (Open, or drop a file anywhere),
// live capture and the labs, the samples the labs made, and the recent files on the desktop.
import { useAppStore, useAppStoreApi } from '../state';
import { SampleList } from '../views/live';
import type { ShellInfo } from './shell-info';

export function StartScreen({ shell }: { shell: ShellInfo }) {
  const store = useAppStoreApi();
  const recent = useAppStore((s) => s.recent);
  const hello = useAppStore((s) => s.hello);
  return (
    <main className="start" aria-labelledby="start-title">
      <h1 id="start-title">Wirescope</h1>
      <p className="tagline">Packets and protocols, layer by layer: OSI and TCP/IP side by side.</p>
      <section className="open-box" aria-labelledby="open-title">
        <h2 id="open-title">Open a capture</h2>
        <p>
          <button
            type="button"
            className="btn primary big"
            onClick={() => void store.getState().openDialog()}
          >
            Choose a capture file…
          </button>
        </p>
        <p className="hint">
          or drop a <code>.pcap</code>, <code>.pcapng</code> or <code>.cap</code> file anywhere in this window
          · <kbd>Ctrl</kbd>+<kbd>O</kbd>
        </p>
      </section>
      <section className="open-box live-box" aria-labelledby="live-start-title">
        <h2 id="live-start-title">Watch traffic as it happens</h2>
        <p className="start-actions">
          <button type="button" className="btn big" onClick={() => store.getState().openLiveDialog()}>
            Live capture…
          </button>
          <button type="button" className="btn big" onClick={() => store.getState().openLabs('websocket')}>
            WebSocket lab
          </button>
          <button type="button" className="btn big" onClick={() => store.getState().openLabs('tcp-udp')}>
            TCP vs UDP lab
          </button>
        </p>
        <p className="hint">The labs need no privileges: their traffic goes through Wirescope’s tap.</p>
      </section>
      <section className="samples" aria-labelledby="samples-start-title">
        <h2 id="samples-start-title">Sample captures made by the labs</h2>
        <SampleList />
      </section>
      {recent.length > 0 && (
        <section className="recent" aria-labelledby="recent-title">
          <h2 id="recent-title">Recent files</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.path}>
                <button
                  type="button"
                  className="link"
                  onClick={() => void store.getState().openRecent(r.path)}
                  title={r.path}
                >
                  {r.name}
                </button>
                <span className="path">{r.path}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <footer className="shell">
        {shell.kind === 'electron'
          ? `Desktop app · Electron ${shell.electron} · Chromium ${shell.chrome}`
          : `Browser view${hello ? ` · Wirescope ${hello.version}` : ''}`}
      </footer>
    </main>
  );
}
