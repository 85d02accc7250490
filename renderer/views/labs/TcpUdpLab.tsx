// The TCP-vs-UDP lab: the same N messages over TCP and over UDP between real local sockets, with an
// optional lossy relay on the UDP side (simulated loss, labelled so).
import { useState } from 'react';
import type { LiveMode } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { ModeChoice, RunBox } from './LabSetup';

export function TcpUdpSetup() {
  const store = useAppStoreApi();
  const starting = useAppStore((s) => s.labStarting);
  const running = useAppStore((s) => !!s.lab && !s.labDone && s.lab.kind === 'tcp-udp');
  const [mode, setMode] = useState<LiveMode>('tap');
  const [messages, setMessages] = useState(10);
  const [loss, setLoss] = useState(0);
  return (
    <RunBox title="TCP vs UDP lab">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void store.getState().startLab({
            lab: 'tcp-udp',
            mode,
            messages: Math.max(1, Math.min(1000, messages)),
            loss: Math.max(0, Math.min(90, loss)),
          });
        }}
      >
        <ModeChoice mode={mode} onChange={setMode} />
        <div className="lab-row">
          <label className="lab-field small">
            Messages
            <input
              type="number"
              min={1}
              max={1000}
              value={messages}
              onChange={(e) => setMessages(Number(e.target.value) || 1)}
            />
          </label>
          <label className="lab-field small">
            UDP loss %
            <input
              type="number"
              min={0}
              max={90}
              value={loss}
              onChange={(e) => setLoss(Number(e.target.value) || 0)}
            />
          </label>
        </div>
        <p className="lab-note">Loss is simulated: a relay drops that share of UDP datagrams.</p>
        <div className="lab-row">
          <button type="submit" className="btn primary big lab-run" disabled={starting || running}>
            {starting ? 'Starting…' : running ? 'Running…' : 'Run'}
          </button>
          {running && (
            <button type="button" className="btn big quiet" onClick={() => void store.getState().stopLab()}>
              Stop
            </button>
          )}
        </div>
      </form>
    </RunBox>
  );
}
