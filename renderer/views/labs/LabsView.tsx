// The labs, laid out for a projector: the controls and the lab's log on the left, the live
// sequence diagram of the lab's capture in the middle (as large as the screen allows), and on the
// right what the class should look at closely — the selected WebSocket frame bit by bit and the
// Accept computation, or the TCP-vs-UDP report.
import { useEffect } from 'react';
import type { LabKind } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { SequenceView } from '../sequence';
import { isTapCapture, TapBadge } from '../live';
import { AcceptPanel } from './AcceptPanel';
import { FrameFigure } from './FrameFigure';
import { LabLog } from './LabLog';
import { TcpUdpSetup } from './TcpUdpLab';
import { TransportReportView } from './TransportReportView';
import { useLabFollow } from './use-lab-follow';
import { WebSocketCompose, WebSocketSetup } from './WebSocketLab';
import './labs.css';

const KINDS: { id: LabKind; title: string }[] = [
  { id: 'websocket', title: 'WebSocket' },
  { id: 'tcp-udp', title: 'TCP vs UDP' },
];

export function LabsView() {
  const store = useAppStoreApi();
  const kind = useAppStore((s) => s.labKind);
  const lab = useAppStore((s) => s.lab);
  const done = useAppStore((s) => s.labDone);
  const report = useAppStore((s) => s.labReport);
  // Narrow subscriptions: progress events arrive 20 times a second while a lab runs, and the
  // layout (with the diagram in it) must not redraw for each; LabCaptureLine shows the count.
  const hasCapture = useAppStore((s) => s.capture !== null);
  const tap = useAppStore((s) => !!s.capture && isTapCapture(s.capture.info, s.tapSeen));
  const running = !!lab && !done && lab.kind === kind;
  useLabFollow(store, kind === 'websocket');
  // What each lab is about: WebSocket frames (what the protocol said), or every TCP segment and
  // UDP datagram (the TCP-vs-UDP payloads are plain bytes, with no application message to draw).
  useEffect(() => {
    store.getState().setDiagramLevel(kind === 'websocket' ? 'application' : 'transport');
  }, [store, kind]);

  return (
    <main className={`labs lab-${kind}`} aria-label="Labs">
      <header className="labs-head">
        <div role="tablist" aria-label="Lab" className="labs-tabs">
          {KINDS.map((k) => (
            <button
              key={k.id}
              type="button"
              role="tab"
              aria-selected={kind === k.id}
              className={`labs-tab${kind === k.id ? ' active' : ''}`}
              onClick={() => store.getState().chooseLab(k.id)}
            >
              {k.title}
            </button>
          ))}
        </div>
        <LabCaptureLine />
        {tap && <TapBadge />}
        <span className="toolbar-gap" />
        {hasCapture && (
          <button type="button" className="btn" onClick={() => store.getState().closeLabs()}>
            Show packets
          </button>
        )}
      </header>
      <div className="labs-body">
        <div className="labs-left">
          {kind === 'websocket' ? running ? <WebSocketCompose /> : <WebSocketSetup /> : <TcpUdpSetup />}
          <LabLog />
        </div>
        <div className="labs-diagram">
          {hasCapture ? (
            <SequenceView />
          ) : (
            <p className="labs-empty">
              Run the lab: its conversations are drawn here as the packets are captured.
            </p>
          )}
        </div>
        <div className="labs-right">
          {kind === 'websocket' ? (
            <>
              <FrameFigure />
              <AcceptPanel />
            </>
          ) : report ? (
            <TransportReportView tcp={report.tcp} udp={report.udp} />
          ) : (
            <section className="lab-card">
              <h3>Measured from the capture</h3>
              <p className="muted">
                {running
                  ? 'The report appears when both sides have sent every message.'
                  : 'Run the lab: packets, bytes, header bytes, control packets, round trips and time, side by side.'}
              </p>
            </section>
          )}
        </div>
      </div>
    </main>
  );
}

function LabCaptureLine() {
  const name = useAppStore((s) =>
    s.lab && s.capture?.info.id === s.lab.capture.id ? s.capture.info.name : null,
  );
  const packets = useAppStore((s) => s.capture?.progress.packets ?? 0);
  const live = useAppStore((s) => !!s.capture?.live?.running);
  if (!name) return null;
  return (
    <span className="labs-capture">
      {name} · {packets.toLocaleString('en-US')} packets{live ? ' · capturing' : ''}
    </span>
  );
}
