// HTTP summary (tshark -z http,tree and -z http_req,tree; epan/dissectors/packet-http.c's stats
// trees): requests by method, responses by status code (grouped by class), and requests by host
// and URI. Counted once per HTTP message, as the tap runs once per message: each `http` layer of
// a frame is one message (several in one segment are several layers).
import type { Dissection, Item, Layer } from '../dissect/types';

export interface HttpSummary {
  requests: number;
  responses: number;
  /** Method → requests, in order of first appearance. */
  methods: Record<string, number>;
  /** "200 OK" → responses. */
  statuses: Record<string, number>;
  /** Host → URI → requests. */
  hosts: Record<string, Record<string, number>>;
}

export function emptyHttpSummary(): HttpSummary {
  return { requests: 0, responses: 0, methods: {}, statuses: {}, hosts: {} };
}

function first(items: readonly Item[], abbrev: string): Item | undefined {
  for (const it of items) {
    if (it.abbrev === abbrev) return it;
    if (it.children) {
      const f = first(it.children, abbrev);
      if (f) return f;
    }
  }
  return undefined;
}

const text = (l: Layer, abbrev: string): string | null => {
  const v = first(l.items, abbrev)?.value;
  return v === undefined || v === null ? null : String(v);
};

/** Adds the HTTP messages of one frame dissected with the tree. */
export function addHttpFrame(s: HttpSummary, d: Dissection): void {
  for (const l of d.layers) {
    if (l.proto !== 'http') continue;
    const method = text(l, 'http.request.method');
    if (method !== null) {
      s.requests++;
      s.methods[method] = (s.methods[method] ?? 0) + 1;
      const host = text(l, 'http.host');
      const uri = text(l, 'http.request.uri');
      // tshark's "by host" tree only counts requests that name a host.
      if (host !== null && uri !== null) {
        const h = (s.hosts[host] ??= {});
        h[uri] = (h[uri] ?? 0) + 1;
      }
      continue;
    }
    const code = text(l, 'http.response.code');
    if (code !== null) {
      s.responses++;
      const phrase = text(l, 'http.response.phrase') ?? '';
      const key = phrase ? `${code} ${phrase}` : code;
      s.statuses[key] = (s.statuses[key] ?? 0) + 1;
    }
  }
}

/** Sorted entries, most first (ties by name), as the app lists them. */
export function byCount(rec: Record<string, number>): [string, number][] {
  return Object.entries(rec).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
