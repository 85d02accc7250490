// The lab's log: its captions ("TCP handshake: SYN…"), the messages sent and received, the end or
// the error, newest at the bottom and kept in view, in type a projected room can read.
import { memo, useEffect, useRef, useState } from 'react';
import type { LabEvent } from '../../../shared/contract/api';
import { useAppStoreApi, type AppStore } from '../../state';

const KIND_LABEL: Record<LabEvent['kind'], string> = {
  step: '',
  sent: 'sent',
  received: 'received',
  done: 'done',
  error: 'error',
};

/** Events drawn: the newest; a long run's older ones stay in the store, not in the DOM. */
const SHOWN = 150;

const Entry = memo(function Entry({ e, t0 }: { e: LabEvent; t0: number }) {
  return (
    <li className={`lab-ev ${e.kind}`}>
      <span className="lab-ev-time">{((e.at - t0) / 1000).toFixed(2)} s</span>
      {KIND_LABEL[e.kind] && <span className="lab-ev-kind">{KIND_LABEL[e.kind]}</span>}
      <span className="lab-ev-text">{e.text}</span>
    </li>
  );
});

/**
 * The store's lab events, taken at most once per animation frame: a running lab logs an event
 * for every message sent and every echo, hundreds a second, and the log need not be redrawn more
 * often than the screen is (issue #6).
 */
function useEventsPerFrame(store: AppStore): LabEvent[] {
  const [events, setEvents] = useState(() => store.getState().labEvents);
  useEffect(() => {
    let frame = 0;
    setEvents(store.getState().labEvents);
    const off = store.subscribe((s, prev) => {
      if (s.labEvents === prev.labEvents || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setEvents(store.getState().labEvents);
      });
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
    };
  }, [store]);
  return events;
}

export function LabLog() {
  const events = useEventsPerFrame(useAppStoreApi());
  const box = useRef<HTMLOListElement>(null);
  // In the next animation frame, once per frame: reading scrollHeight right after the commit
  // forces a layout of the whole page, and a running lab logs an event per message (issue #6).
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      const el = box.current;
      if (el) el.scrollTop = el.scrollHeight;
    });
    return () => cancelAnimationFrame(id);
  }, [events]);
  const t0 = events[0]?.at ?? 0;
  return (
    <section className="lab-log" aria-label="Lab log">
      <h3>What happens</h3>
      {events.length === 0 ? (
        <p className="muted">Run the lab: each step is explained here as it happens.</p>
      ) : (
        <ol ref={box} aria-live="polite">
          {events.slice(-SHOWN).map((e) => (
            <Entry key={`${e.lab}:${e.seq}`} e={e} t0={t0} />
          ))}
        </ol>
      )}
    </section>
  );
}
