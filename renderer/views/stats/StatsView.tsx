// Statistics: protocol hierarchy, expert information, the I/O graph, conversations and endpoints,
// TCP stream graphs of the open capture, one at a time (the side panel is narrow). Each is computed by the backend over the frames indexed
// so far, fetched when shown, and fetched again when the index pass ends or another capture opens.
import { useEffect, useState } from 'react';
import type { StatsKind } from '../../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../../state';
import { ConvTables } from './ConvTables';
import { ExpertList } from './ExpertList';
import { IoGraph } from './IoGraph';
import { PhsTable } from './PhsTable';
import { DnsSummaryView } from './DnsSummary';
import { HttpSummaryView } from './HttpSummary';
import { TcpGraph } from './TcpGraph';
import './stats.css';

type ViewId = 'phs' | 'expert' | 'io' | 'conversations' | 'endpoints' | 'tcp-graph' | 'http' | 'dns';

/** Each view and the statistic it shows (conversations and endpoints come in one result). */
const VIEWS: { id: ViewId; kind: StatsKind; title: string }[] = [
  { id: 'phs', kind: 'phs', title: 'Protocol hierarchy' },
  { id: 'conversations', kind: 'endpoints', title: 'Conversations' },
  { id: 'endpoints', kind: 'endpoints', title: 'Endpoints' },
  { id: 'io', kind: 'io', title: 'I/O graph' },
  { id: 'tcp-graph', kind: 'tcp-graph', title: 'TCP graph' },
  { id: 'http', kind: 'http', title: 'HTTP' },
  { id: 'dns', kind: 'dns', title: 'DNS' },
  { id: 'expert', kind: 'expert', title: 'Expert info' },
];

const KEY = {
  phs: 'statsPhs',
  expert: 'statsExpert',
  io: 'statsIo',
  endpoints: 'statsEndpoints',
  'tcp-graph': 'statsTcpGraph',
  http: 'statsHttp',
  dns: 'statsDns',
} as const;

export function StatsView() {
  const store = useAppStoreApi();
  const [view, setView] = useState<ViewId>('phs');
  const kind = VIEWS.find((v) => v.id === view)!.kind;
  const captureId = useAppStore((s) => s.capture?.info.id ?? null);
  const indexing = useAppStore((s) => s.capture?.phase === 'indexing');
  const entry = useAppStore((s) => s[KEY[kind]]);
  const have = entry.result;
  // Asked again for another capture, or when a result taken during the index pass outlived it.
  const stale = entry.capture !== captureId || (!!have && !have.complete && !indexing);

  useEffect(() => {
    if (captureId && stale && !entry.loading) void store.getState().loadStats(kind);
  }, [captureId, stale, entry.loading, kind, store]);

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
        ) : entry.error && entry.capture === captureId && kind !== 'io' ? (
          // The I/O graph shows its own error above the graph, so its interval and lines stay
          // editable (a too-fine interval or a wrong line filter is fixed there).
          <p className="stats-error" role="alert">
            {entry.error}{' '}
            <button type="button" onClick={() => void store.getState().loadStats(kind)}>
              Retry
            </button>
          </p>
        ) : view === 'phs' ? (
          <PhsTable />
        ) : view === 'expert' ? (
          <ExpertList />
        ) : view === 'dns' ? (
          <DnsSummaryView />
        ) : view === 'http' ? (
          <HttpSummaryView />
        ) : view === 'tcp-graph' ? (
          <TcpGraph />
        ) : view === 'conversations' || view === 'endpoints' ? (
          <ConvTables mode={view} />
        ) : (
          <IoGraph />
        )}
      </div>
    </section>
  );
}
