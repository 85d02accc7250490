// Lifeline heads: named by role and address; drag to reorder, double-click to rename, × to hide.
import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import { allLifelines, columnX, moveLifeline, type Diagram, type Geometry } from '../../../shared/diagram';
import { useAppStore, type AppStore } from '../../state';

export function Heads({
  store,
  diagram,
  geo,
  fs,
}: {
  store: AppStore;
  diagram: Diagram;
  geo: Geometry;
  fs: number;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [drag, setDrag] = useState<{ id: string; dx: number; start: number } | null>(null);
  const mode = useAppStore((s) => s.seqMode);
  const messages = useAppStore((s) => s.seqMessages);
  const ids = diagram.lifelines.map((l) => l.id);
  const headW = Math.min(geo.laneWidth - 24, fs * 18);

  const onDown = (e: ReactPointerEvent, id: string) => {
    if ((e.target as HTMLElement).closest('button, input')) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({ id, dx: 0, start: e.clientX });
  };
  const onMove = (e: ReactPointerEvent) => {
    if (drag) setDrag({ ...drag, dx: e.clientX - drag.start });
  };
  const onUp = () => {
    if (!drag) return;
    const from = ids.indexOf(drag.id);
    const to = Math.round(from + drag.dx / geo.laneWidth);
    setDrag(null);
    if (to !== from) {
      // Hidden lifelines keep their place at the end of the order.
      const hiddenIds = allLifelines(messages ?? [], mode)
        .map((l) => l.id)
        .filter((id) => !ids.includes(id));
      store.getState().reorderLifelines([...moveLifeline(ids, drag.id, to), ...hiddenIds]);
    }
  };

  return (
    <div className="seq-heads" style={{ height: geo.headHeight, width: geo.width, fontSize: fs }}>
      {diagram.lifelines.map((l, i) => (
        <div
          key={l.id}
          className={`seq-head-box${drag?.id === l.id ? ' dragging' : ''}`}
          data-lifeline={l.id}
          style={{
            left: columnX(geo, i) - headW / 2 + (drag?.id === l.id ? drag.dx : 0),
            width: headW,
          }}
          title="Drag to reorder · double-click to rename"
          onPointerDown={(e) => onDown(e, l.id)}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onDoubleClick={() => setEditing(l.id)}
        >
          {editing === l.id ? (
            <input
              className="seq-rename"
              aria-label={`Name for ${l.address}`}
              defaultValue={l.title}
              autoFocus
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  store.getState().renameLifeline(l.id, (e.target as HTMLInputElement).value);
                  setEditing(null);
                } else if (e.key === 'Escape') setEditing(null);
              }}
              onBlur={(e) => {
                store.getState().renameLifeline(l.id, e.target.value);
                setEditing(null);
              }}
            />
          ) : (
            <span className="seq-head-title">{l.title}</span>
          )}
          <span className="seq-head-addr">{l.address}</span>
          {diagram.lifelines.length > 1 && (
            <button
              type="button"
              className="seq-hide"
              aria-label={`Hide ${l.title} ${l.address}`}
              title="Hide this lifeline"
              onClick={() => store.getState().hideLifeline(l.id)}
            >
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
