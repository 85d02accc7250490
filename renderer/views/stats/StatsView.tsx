// Statistics: protocol hierarchy, expert information and the I/O graph of the open capture, one
// at a time (the side panel is narrow). Each is computed by the backend over the frames indexed
// so far, fetched when shown, and fetched again when the index pass ends or another capture opens.
import { useEffect, useState } from 'react';
import type { StatsKind } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { ExpertList } from './ExpertList';
import { IoGraph } from './IoGraph';
import { PhsTable } from './PhsTable';
import './stats.css';

const VIEWS: { id: StatsKind; title: string }[] = [
  { id: 'phs', title: 'Protocol hierarchy' },
  { id: 'expert', title: 'Expert info' },
  { id: 'io', title: 'I/O graph' },
];

const KEY = { phs: 'statsPhs', expert: 'statsExpert', io: 'statsIo' } as const;

export function StatsView() {
  const store = useAppStoreApi();
  const [view, setView] = useState<StatsKind>('phs');
  const captureId = useAppStore((s) => s.capture?.info.id ?? null);
  const indexing = useAppStore((s) => s.capture?.phase === 'indexing');
  const entry = useAppStore((s) => s[KEY[view]]);
  const have = entry.result;
  // Asked again for another capture, or when a result taken during the index pass outlived it.
  const stale = entry.capture !== captureId || (!!have && !have.complete && !indexing);

  useEffect(() => {
    if (captureId && stale && !entry.loading) void store.getState().loadStats(view);
  }, [captureId, stale, entry.loading, view, store]);

  return (
    <section className="stats" aria-label="Statistics">
      <div className="stats-tools" role="group" aria-label="Statistic">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={`stats-choice${view === v.id ? ' active' : ''}`}
            aria-pressed={view === v.id}
            onClick={() => setView(v.id)}
          >
            {v.title}
          </button>
        ))}
        {have && !have.complete && (
          <span className="stats-note">Partial: the capture is still being read</span>
        )}
      </div>
      <div className="stats-body">
        {!captureId ? (
          <p className="stats-empty">Open a capture to see its statistics.</p>
        ) : entry.error && entry.capture === captureId ? (
          <p className="stats-error" role="alert">
            {entry.error}{' '}
            <button type="button" onClick={() => void store.getState().loadStats(view)}>
              Retry
            </button>
          </p>
        ) : view === 'phs' ? (
          <PhsTable />
        ) : view === 'expert' ? (
          <ExpertList />
        ) : (
          <IoGraph />
        )}
      </div>
    </section>
  );
}
