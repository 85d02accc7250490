// DNS summary (tshark -z dns,tree; epan/dissectors/packet-dns.c's stats tree): messages by reply
// code, opcode, query/response and query type (the first question's), queries by name, and the
// request–response times (dns.time of each answered response). Counted per DNS message: each
// `dns` layer of a frame (several in one TCP segment are several layers).
//
// Names and types are the dissector's own value strings, which are Wireshark's. Queries by name
// are not in tshark's tree: they count the first question of each query (not of responses,
// which repeat it).
import { fieldByAbbrev } from '../dissect/fields';
import type { Dissection, Item, Layer } from '../dissect/types';

export interface DnsSummary {
  messages: number;
  queries: number;
  responses: number;
  rcodes: Record<string, number>;
  opcodes: Record<string, number>;
  types: Record<string, number>;
  /** Query type name → its number (display filters compare numbers: dns.qry.type == 28). */
  typeCodes: Record<string, number>;
  /** Query name → queries. */
  names: Record<string, number>;
  /** Request–response times, seconds. */
  times: { count: number; sum: number; min: number; max: number };
}

export function emptyDnsSummary(): DnsSummary {
  return {
    messages: 0,
    queries: 0,
    responses: 0,
    rcodes: {},
    opcodes: {},
    types: {},
    typeCodes: {},
    names: {},
    times: { count: 0, sum: 0, min: Infinity, max: 0 },
  };
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

function valName(abbrev: string, v: number, unknown: string): string {
  return fieldByAbbrev(abbrev)?.vals?.[v] ?? `${unknown} (${v})`;
}

const bump = (rec: Record<string, number>, key: string) => {
  rec[key] = (rec[key] ?? 0) + 1;
};

function seconds(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'sec' in v && 'nsec' in v) {
    const t = v as { sec: number; nsec: number };
    return t.sec + t.nsec / 1e9;
  }
  return null;
}

function addLayer(s: DnsSummary, l: Layer): void {
  const flags = first(l.items, 'dns.flags')?.value;
  if (typeof flags !== 'number') return;
  s.messages++;
  const response = (flags & 0x8000) !== 0;
  if (response) s.responses++;
  else s.queries++;
  bump(s.rcodes, valName('dns.flags.rcode', flags & 0xf, 'Unknown'));
  bump(s.opcodes, valName('dns.flags.opcode', (flags >> 11) & 0xf, 'Unknown operation'));
  const type = first(l.items, 'dns.qry.type')?.value;
  if (typeof type === 'number') {
    const name = valName('dns.qry.type', type, 'Unknown packet type');
    bump(s.types, name);
    s.typeCodes[name] = type;
  }
  const name = first(l.items, 'dns.qry.name')?.value;
  if (!response && typeof name === 'string') bump(s.names, name || '<Root>');
  const t = seconds(first(l.items, 'dns.time')?.value);
  if (response && t !== null) {
    s.times.count++;
    s.times.sum += t;
    s.times.min = Math.min(s.times.min, t);
    s.times.max = Math.max(s.times.max, t);
  }
}

/** Adds the DNS messages of one frame dissected with the tree. */
export function addDnsFrame(s: DnsSummary, d: Dissection): void {
  for (const l of d.layers) if (l.proto === 'dns') addLayer(s, l);
}
