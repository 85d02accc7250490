// Wireshark's status bar: the file, packets in it and shown, load time, the selection; while a
// live capture runs, what it captures on with a Stop button; the tap badge for a tap's capture.
import { sizeText, useAppStore, useAppStoreApi } from '../state';
import { isTapCapture, TapBadge } from '../views/live';

export function loadTimeText(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(2)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function StatusBar() {
  const capture = useAppStore((s) => s.capture);
  const total = useAppStore((s) => s.total);
  const filtered = useAppStore((s) => !!s.view.conversation);
  const frame = useAppStore((s) => s.frame);
  const connection = useAppStore((s) => s.connection);
  const shell = useAppStore((s) => s.hello?.shell);
  const tapSeen = useAppStore((s) => s.tapSeen);
  const store = useAppStoreApi();

  const packets = capture?.progress.packets ?? 0;
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    <footer className="statusbar" aria-label="Status">
      {capture?.live?.running && (
        <span className="status-live" role="status" data-testid="status-live">
          <span className="live-dot" aria-hidden="true">
            ●
          </span>{' '}
          Capturing on {capture.info.live?.iface ?? 'the interface'} — {n(packets)} packet
          {packets === 1 ? '' : 's'}
          <button
            type="button"
            className="btn small status-stop"
            onClick={() => void store.getState().stopLive()}
            title="Stop capturing; what was captured stays open"
          >
            Stop
          </button>
        </span>
      )}
      {capture && isTapCapture(capture.info, tapSeen) && <TapBadge />}
      {capture ? (
        <>
          <span className="status-file" title={capture.info.path ?? capture.info.name}>
            {capture.info.name} · {sizeText(capture.info.size)}
          </span>
          <span data-testid="status-packets">
            Packets: {n(packets)}
            {capture.phase === 'indexing' ? ' so far' : ''}
            {filtered
              ? ` · Displayed: ${n(total)} (${packets ? ((total / packets) * 100).toFixed(1) : '0.0'}%)`
              : ''}
          </span>
          {capture.loadMs !== null && (
            <span data-testid="status-load">Load time: {loadTimeText(capture.loadMs)}</span>
          )}
          {capture.phase === 'cancelled' && <span className="status-warn">Stopped early</span>}
          {capture.phase === 'failed' && <span className="status-warn">Read with errors</span>}
          {frame !== null && <span>Selected: packet {n(frame)}</span>}
        </>
      ) : (
        <span>No capture open</span>
      )}
      <span className="status-gap" />
      <span className={`status-conn ${connection}`}>
        {connection === 'open'
          ? shell === 'electron'
            ? 'Desktop'
            : 'Connected'
          : connection === 'connecting'
            ? 'Connecting…'
            : 'Disconnected'}
      </span>
    </footer>
  );
}
