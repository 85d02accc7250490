// The Statistics view's figures (protocol hierarchy, expert information, I/O graph, conversations
// and endpoints), fetched per kind from `stats.get`. Each result names the capture it belongs
// to, so the view asks again when another capture opens or the index pass ends (a result taken
// during it is partial).
import type { StateCreator } from 'zustand';
import type {
  EndpointStats,
  DnsStats,
  FilterValues,
  ExpertStats,
  HttpStats,
  IoLine,
  IoStats,
  PhsStats,
  StatsKind,
  StatsResult,
  TcpGraphStats,
} from '../../shared/contract/api';
import type { Backend } from './backend';
import type { Store } from './store';

type Tagged<T> = T & { capture: string; complete: boolean };

export interface StatsEntry<T> {
  /** The capture last asked about (a failure is not retried for it until asked again). */
  capture: string | null;
  result: Tagged<T> | null;
  loading: boolean;
  error: string | null;
}

export interface StatsSlice {
  statsPhs: StatsEntry<PhsStats>;
  statsExpert: StatsEntry<ExpertStats>;
  statsIo: StatsEntry<IoStats>;
  statsEndpoints: StatsEntry<EndpointStats>;
  statsTcpGraph: StatsEntry<TcpGraphStats>;
  statsHttp: StatsEntry<HttpStats>;
  statsDns: StatsEntry<DnsStats>;
  /** The TCP stream graphed (tcp.stream); null: the busiest, as the backend picks it. */
  statsStream: number | null;
  /** I/O graph interval in microseconds. */
  statsInterval: number;
  /** I/O graph lines, each with its display filter ('' = every packet) and unit. */
  statsIoLines: IoLine[];

  /** Fetches one kind (again) for the open capture. */
  loadStats(kind: StatsKind): Promise<void>;
  setStatsInterval(us: number): void;
  /** Replaces the I/O graph's lines and counts them afresh. */
  setStatsIoLines(lines: IoLine[]): void;
  /** Values a field takes in the open capture (the filter bar's completion after `field ==`). */
  filterValues(field: string, prefix: string): Promise<FilterValues | null>;
  setStatsStream(stream: number | null): void;
}

const EMPTY = { capture: null, result: null, loading: false, error: null };
const KEY = {
  phs: 'statsPhs',
  expert: 'statsExpert',
  io: 'statsIo',
  endpoints: 'statsEndpoints',
  'tcp-graph': 'statsTcpGraph',
  http: 'statsHttp',
  dns: 'statsDns',
} as const;

export function createStatsSlice(backend: Backend): StateCreator<Store, [], [], StatsSlice> {
  const request = { phs: 0, expert: 0, io: 0, endpoints: 0, 'tcp-graph': 0, http: 0, dns: 0 };
  return (set, get) => ({
    statsPhs: EMPTY,
    statsExpert: EMPTY,
    statsIo: EMPTY,
    statsEndpoints: EMPTY,
    statsTcpGraph: EMPTY,
    statsHttp: EMPTY,
    statsDns: EMPTY,
    statsStream: null,
    statsInterval: 1_000_000,
    statsIoLines: [{ filter: '', unit: 'packets' }],

    async loadStats(kind) {
      const capture = get().capture;
      if (!capture) return;
      const key = KEY[kind];
      const mine = ++request[kind];
      const id = capture.info.id;
      // A stream chosen in another capture means nothing in this one: back to the busiest.
      let stream = get().statsStream;
      if (kind === 'tcp-graph' && get().statsTcpGraph.capture !== id) {
        stream = null;
        set({ statsStream: null });
      }
      set({ [key]: { ...get()[key], capture: id, loading: true, error: null } } as Partial<Store>);
      try {
        const r: StatsResult = await backend.call('stats.get', {
          capture: id,
          kind,
          ...(kind === 'io' ? { interval: get().statsInterval, lines: get().statsIoLines } : {}),
          ...(kind === 'tcp-graph' && stream !== null ? { stream } : {}),
        });
        if (mine !== request[kind]) return;
        set({ [key]: { capture: id, result: r, loading: false, error: null } } as Partial<Store>);
      } catch (e) {
        if (mine !== request[kind]) return;
        set({
          [key]: { capture: id, result: null, loading: false, error: (e as Error).message },
        } as Partial<Store>);
      }
    },

    setStatsInterval(us) {
      set({ statsInterval: us });
      void get().loadStats('io');
    },

    async filterValues(field, prefix) {
      const capture = get().capture;
      if (!capture) return null;
      return backend.call('filter.values', {
        capture: capture.info.id,
        field,
        ...(prefix ? { prefix: prefix.replace(/^"/, '') } : {}),
      });
    },

    setStatsIoLines(lines) {
      set({ statsIoLines: lines });
      void get().loadStats('io');
    },

    setStatsStream(stream) {
      set({ statsStream: stream });
      void get().loadStats('tcp-graph');
    },
  });
}
