// The first screen. Opening files, the packet list and the layer views arrive with the backend API
// and the views (later issues); until then this screen says so instead of offering dead controls.
import type { ShellInfo } from './shell-info';

export function App({ shell }: { shell: ShellInfo }) {
  return (
    <main className="start">
      <h1>Wirescope</h1>
      <p className="tagline">Packets and protocols, layer by layer: OSI and TCP/IP side by side.</p>
      <section className="open" aria-labelledby="open-title">
        <h2 id="open-title">Open a capture</h2>
        <p>
          pcap and pcapng files will open here. The file dialog and drag-and-drop arrive with the capture
          backend in a later version; nothing on this screen is clickable yet.
        </p>
      </section>
      <footer className="shell">
        {shell.kind === 'electron'
          ? `Desktop app · Electron ${shell.electron} · Chromium ${shell.chrome}`
          : 'Browser view'}
      </footer>
    </main>
  );
}
