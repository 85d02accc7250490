// The sequence view's controls: the conversation picker, the export menu and the playback bar.
import { useEffect, useState } from 'react';
import { useAppStore, type AppStore } from '../../state';
import { SPEEDS } from '../../state/sequence-slice';

export function ConversationPicker({
  store,
  streams,
  own,
}: {
  store: AppStore;
  streams: string[];
  own: string | null;
}) {
  const [open, setOpen] = useState(false);
  const list = useAppStore((s) => s.conversations);
  const all = useAppStore((s) => s.seqAll);
  const drawnAll = useAppStore((s) => s.seqConversations);
  const shown = all ? drawnAll.map((c) => c.stream) : streams;
  useEffect(() => {
    const s = store.getState();
    if (open && !s.conversations && !s.conversationsLoading) void s.loadConversations();
  }, [open, store]);
  return (
    <div className="seq-picker">
      <button
        type="button"
        className="seq-btn"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen(!open)}
        aria-label={`Choose conversations (${all ? 'all' : streams.length ? streams.join(', ') : 'none'})`}
        title="Conversations in the diagram"
      >
        {all
          ? `All conversations (${drawnAll.length})`
          : streams.length
            ? streams.join(', ')
            : 'Conversations'}{' '}
        ▾
      </button>
      {own && !all && !streams.includes(own) && (
        <button
          type="button"
          className="seq-btn"
          title="Add the selected packet's conversation"
          onClick={() => void store.getState().toggleDiagramStream(own)}
        >
          + {own}
        </button>
      )}
      {open && (
        <div className="seq-menu" role="group" aria-label="Conversations to draw">
          {!list && <p>Loading…</p>}
          {list?.conversations.map((c) => {
            const id = `${c.kind}:${c.stream}`;
            return (
              <label key={id}>
                <input
                  type="checkbox"
                  checked={shown.includes(id)}
                  onChange={() => void store.getState().toggleDiagramStream(id)}
                />
                <b>{id}</b> {c.addressA}:{c.portA} ↔ {c.addressB}:{c.portB} · {c.packets} packets
              </label>
            );
          })}
          <button type="button" className="seq-btn" onClick={() => setOpen(false)}>
            Done
          </button>
        </div>
      )}
    </div>
  );
}

export function ExportMenu(p: {
  disabled: boolean;
  onSvg(): void;
  onPng(): void;
  onMermaid(): void;
  onPcapng(): void;
  /** Null when no packet is selected (nothing to draw a header of). */
  onMermaidPacket: (() => void) | null;
  /** Which header the Mermaid packet diagram draws (`TCP`). */
  header: string | null;
}) {
  const [open, setOpen] = useState(false);
  const pick = (f: () => void) => () => {
    setOpen(false);
    f();
  };
  return (
    <div className="seq-picker">
      <button
        type="button"
        className="seq-btn"
        aria-expanded={open}
        aria-haspopup="menu"
        disabled={p.disabled}
        onClick={() => setOpen(!open)}
      >
        Export ▾
      </button>
      {open && (
        <div className="seq-menu" role="menu" aria-label="Export">
          <button type="button" role="menuitem" onClick={pick(p.onSvg)}>
            SVG (whole diagram)
          </button>
          <button type="button" role="menuitem" onClick={pick(p.onPng)}>
            PNG
          </button>
          <button type="button" role="menuitem" onClick={pick(p.onMermaid)}>
            Mermaid text
          </button>
          <button
            type="button"
            role="menuitem"
            title="The packets of the diagrammed conversations, with their comments, to open in Wireshark"
            onClick={pick(p.onPcapng)}
          >
            pcapng (these conversations)
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={!p.onMermaidPacket}
            title="The selected header's fields and bit ranges as a Mermaid packet diagram"
            onClick={p.onMermaidPacket ? pick(p.onMermaidPacket) : undefined}
          >
            Mermaid packet ({p.header ? `${p.header} header` : 'selected header'})
          </button>
        </div>
      )}
    </div>
  );
}

export function Playback({ store, count, step }: { store: AppStore; count: number; step: number }) {
  const playing = useAppStore((s) => s.playing && s.playStopAt === null);
  const speed = useAppStore((s) => s.playSpeed);
  const loop = useAppStore((s) => s.playLoop);
  const projection = useAppStore((s) => s.projection);
  const s = () => store.getState();
  return (
    <div className="seq-play" role="group" aria-label="Playback">
      <button
        type="button"
        title="First (Home)"
        aria-label="First"
        disabled={!count}
        onClick={() => s().stepFirst()}
      >
        |◀
      </button>
      <button
        type="button"
        title="Step back (←)"
        aria-label="Step back"
        disabled={!count}
        onClick={() => s().stepBack()}
      >
        ◀
      </button>
      <button
        type="button"
        className="seq-playbtn"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
        disabled={!count}
        onClick={() => s().togglePlay()}
      >
        {playing ? '\u275a\u275a' : '\u25b6'}
      </button>
      <button
        type="button"
        title="Step forward (→)"
        aria-label="Step forward"
        disabled={!count}
        onClick={() => s().stepForward()}
      >
        ▶|
      </button>
      <input
        type="range"
        aria-label="Position"
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={Math.min(step, Math.max(0, count - 1))}
        disabled={!count}
        onChange={(e) => s().seek(Number(e.target.value) + 0.999)}
      />
      <span className="seq-pos" data-testid="seq-position">
        {count ? `${step + 1} / ${count}` : '0 / 0'}
      </span>
      <label className="seq-field">
        Speed
        <select aria-label="Speed" value={speed} onChange={(e) => s().setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
      </label>
      <label className="seq-field">
        <input type="checkbox" checked={loop} onChange={(e) => s().setLoop(e.target.checked)} /> Loop
      </label>
      {projection && (
        <button type="button" className="seq-btn" onClick={() => s().setProjection(false)}>
          Leave projection (Esc)
        </button>
      )}
    </div>
  );
}
