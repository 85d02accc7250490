// The WebSocket lab: a real `ws` server on 127.0.0.1 (or a URL the user gives) and a real client.
// Run, then type messages (text or binary, optionally fragmented), ping, close with a code; the
// diagram draws each frame as it is captured, and the selected frame is taken apart beside it.
import { useState } from 'react';
import type { LabAction, LiveMode } from '../../../shared/contract/api';
import { PACE_MS, useAppStore, useAppStoreApi, type Pacing } from '../../state';
import { ModeChoice, RunBox } from './LabSetup';

export const CLOSE_CODES: { code: number; name: string }[] = [
  { code: 1000, name: 'Normal closure' },
  { code: 1001, name: 'Going away' },
  { code: 1003, name: 'Unsupported data' },
  { code: 1008, name: 'Policy violation' },
  { code: 1011, name: 'Internal error' },
  { code: 4000, name: 'Custom (4000+)' },
];

const PACINGS: { id: Pacing; title: string }[] = [
  { id: 'slow', title: 'Slow' },
  { id: 'normal', title: 'Normal' },
  { id: 'fast', title: 'Fast' },
];

export function WebSocketSetup() {
  const store = useAppStoreApi();
  const starting = useAppStore((s) => s.labStarting);
  const [mode, setMode] = useState<LiveMode>('tap');
  const [url, setUrl] = useState('');
  const [pace, setPace] = useState<Pacing>('slow');
  const urlOk = !url.trim() || /^wss?:\/\/\S+$/i.test(url.trim());
  return (
    <RunBox title="WebSocket lab">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!urlOk) return;
          const u = url.trim();
          void store
            .getState()
            .startLab({ lab: 'websocket', mode, paceMs: PACE_MS[pace], ...(u ? { url: u } : {}) });
        }}
      >
        <ModeChoice mode={mode} onChange={setMode} />
        <label className="lab-field">
          Server
          <input
            type="text"
            spellCheck={false}
            placeholder="empty: Wirescope’s own server on 127.0.0.1"
            value={url}
            aria-invalid={!urlOk}
            onChange={(e) => setUrl(e.target.value)}
          />
          {!urlOk && (
            <span className="lab-reason">A ws:// or wss:// address, e.g. wss://echo.websocket.org</span>
          )}
        </label>
        <fieldset className="lab-field">
          <legend>Pacing</legend>
          <div className="lab-seg" role="radiogroup" aria-label="Pacing">
            {PACINGS.map((p) => (
              <button
                key={p.id}
                type="button"
                role="radio"
                aria-checked={pace === p.id}
                onClick={() => setPace(p.id)}
              >
                {p.title}
              </button>
            ))}
          </div>
        </fieldset>
        <button type="submit" className="btn primary big lab-run" disabled={starting || !urlOk}>
          {starting ? 'Starting…' : 'Run'}
        </button>
      </form>
    </RunBox>
  );
}

export function WebSocketCompose() {
  const store = useAppStoreApi();
  const lab = useAppStore((s) => s.lab);
  const done = useAppStore((s) => s.labDone);
  const [kind, setKind] = useState<'text' | 'binary'>('text');
  const [text, setText] = useState('Hello, class!');
  const [fragments, setFragments] = useState(1);
  const [code, setCode] = useState(1000);
  const [custom, setCustom] = useState(4000);
  const [reason, setReason] = useState('Bye');
  const hexOk = kind === 'text' || /^(\s*[0-9a-f]{2})*\s*$/i.test(text);
  const act = (a: LabAction) => void store.getState().actLab(a);
  const closeCode = code >= 4000 ? Math.max(4000, Math.min(4999, custom)) : code;
  return (
    <RunBox title={`WebSocket lab · ${lab?.mode === 'capture' ? 'captured' : 'tap'} · ${lab?.target ?? ''}`}>
      <form
        className="lab-compose"
        onSubmit={(e) => {
          e.preventDefault();
          if (!hexOk || done) return;
          const f = Math.max(1, Math.min(64, fragments));
          if (kind === 'text') act({ action: 'text', text, fragments: f });
          else act({ action: 'binary', hex: text.replace(/\s+/g, ''), fragments: f });
        }}
      >
        <div className="lab-seg" role="radiogroup" aria-label="Message type">
          <button type="button" role="radio" aria-checked={kind === 'text'} onClick={() => setKind('text')}>
            Text
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={kind === 'binary'}
            onClick={() => setKind('binary')}
          >
            Binary (hex)
          </button>
        </div>
        <label className="lab-field">
          Message
          <input
            type="text"
            spellCheck={false}
            value={text}
            aria-invalid={!hexOk}
            onChange={(e) => setText(e.target.value)}
            placeholder={kind === 'text' ? 'Type a message' : 'de ad be ef'}
          />
          {!hexOk && <span className="lab-reason">Hex bytes, two digits each: 48 69 21</span>}
        </label>
        <div className="lab-row">
          <label className="lab-field small">
            Fragments
            <input
              type="number"
              min={1}
              max={64}
              value={fragments}
              onChange={(e) => setFragments(Number(e.target.value) || 1)}
            />
          </label>
          <button type="submit" className="btn primary big" disabled={done || !hexOk}>
            Send
          </button>
          <button
            type="button"
            className="btn big"
            disabled={done}
            onClick={() => act({ action: 'ping', text: 'ping' })}
          >
            Ping
          </button>
        </div>
      </form>
      <div className="lab-close">
        <label className="lab-field">
          Close code
          <select value={code} onChange={(e) => setCode(Number(e.target.value))} aria-label="Close code">
            {CLOSE_CODES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code >= 4000 ? c.name : `${c.code} ${c.name}`}
              </option>
            ))}
          </select>
        </label>
        {code >= 4000 && (
          <label className="lab-field small">
            Code
            <input
              type="number"
              min={4000}
              max={4999}
              value={custom}
              onChange={(e) => setCustom(Number(e.target.value))}
            />
          </label>
        )}
        <label className="lab-field">
          Reason
          <input type="text" maxLength={123} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <div className="lab-row">
          <button
            type="button"
            className="btn big"
            disabled={done}
            onClick={() => act({ action: 'close', code: closeCode, ...(reason ? { reason } : {}) })}
          >
            Close
          </button>
          <button
            type="button"
            className="btn big quiet"
            disabled={done}
            onClick={() => void store.getState().stopLab()}
          >
            Stop
          </button>
        </div>
      </div>
    </RunBox>
  );
}
