// Finding fields in a dissection: the `-T fields` column for one filter name, and the items
// behind it. Display filters and the CLI both ask through here.
import { fieldByAbbrev } from './fields';
import { bytesHex, escapeFieldText, fieldsText } from './format';
import { severityName } from './cursor';
import type { Dissection, ExpertGroup, FieldDef, Item, Layer, Severity } from './types';

/** Every item with this filter name, in tree order, across all layers (including nested ones). */
export function findItems(d: Dissection, abbrev: string): Item[] {
  const out: Item[] = [];
  const walk = (items: Item[]) => {
    for (const it of items) {
      if (it.abbrev === abbrev) out.push(it);
      if (it.children) walk(it.children);
    }
  };
  for (const l of d.layers) walk(l.items);
  return out;
}

/** Layers of one protocol (a protocol name used as a field, e.g. `ip` inside ICMP errors twice). */
export function findLayers(d: Dissection, proto: string): Layer[] {
  return d.layers.filter((l) => l.proto === proto);
}

/**
 * A protocol as a `-T fields` column, as tshark 4.0 prints it (print.c, get_node_field_value): the
 * tree line when the dissector wrote one of its own (`Internet Protocol Version 4, Src: …`), the
 * bare abbreviation when the line is just the protocol's name (`icmp`, `null`, `raw`), and for
 * `data` the bytes in hex.
 */
function protocolCell(l: Layer, def: FieldDef): string {
  if (l.proto === 'data') {
    const it = l.items.find((i) => i.abbrev === 'data.data');
    return it?.value instanceof Uint8Array ? bytesHex(it.value) : '';
  }
  return l.summary === def.name ? l.proto : escapeFieldText(l.summary);
}

/**
 * One `tshark -T fields -e ABBREV` cell: every occurrence in tree order, joined by `aggregator`;
 * empty when absent. A protocol name gives one protocolCell per layer of that protocol.
 */
export function fieldColumn(d: Dissection, abbrev: string, aggregator = ','): string {
  const def = fieldByAbbrev(abbrev);
  if (def?.type === 'protocol') {
    const layers = findLayers(d, abbrev);
    if (layers.length) return layers.map((l) => protocolCell(l, def)).join(aggregator);
  }
  if (!def && abbrev.startsWith('_ws.')) return pseudoColumn(d, abbrev, aggregator);
  const items = findItems(d, abbrev);
  if (items.length === 0) return '';
  return items.map((it) => (def ? fieldsText(def, it.value) : String(it.value ?? ''))).join(aggregator);
}

/** Wireshark's PI_* severity and group codes, as tshark prints `_ws.expert.severity`/`.group`. */
const SEVERITY_CODE: Readonly<Record<Severity, number>> = {
  comment: 0x00100000,
  chat: 0x00200000,
  note: 0x00400000,
  warn: 0x00600000,
  error: 0x00800000,
};
const GROUP_CODE: Readonly<Record<ExpertGroup, number>> = {
  checksum: 0x01000000,
  sequence: 0x02000000,
  response: 0x03000000,
  request: 0x04000000,
  undecoded: 0x05000000,
  decryption: 0x0d000000,
  reassemble: 0x06000000,
  malformed: 0x07000000,
  protocol: 0x09000000,
  comment: 0x0b000000,
};

/** Group names as Wireshark's expert_group_vals (PI_RESPONSE_CODE is `Response`…). */
function groupName(g: ExpertGroup): string {
  return g[0].toUpperCase() + g.slice(1);
}

/** Every item that carries an expert note, in tree order (whatever its own filter name). */
function expertItems(d: Dissection): Item[] {
  const out: Item[] = [];
  const walk = (items: Item[]) => {
    for (const it of items) {
      if (it.expert) out.push(it);
      if (it.children) walk(it.children);
    }
  };
  for (const l of d.layers) walk(l.items);
  return out;
}

/**
 * Values of the engine's pseudo-fields (`_ws.expert…`, `_ws.malformed`, `_ws.short`), for display
 * filters; null for any other name. Severity and group as Wireshark's PI_* codes.
 */
export function pseudoValues(d: Dissection, abbrev: string): (string | number | true)[] | null {
  if (abbrev === '_ws.malformed') return d.protocols.filter((p) => p === abbrev).map(() => true as const);
  if (abbrev === '_ws.short') return findItems(d, abbrev).map(() => true as const);
  if (!abbrev.startsWith('_ws.expert')) return null;
  return expertItems(d).map((it) => {
    const e = it.expert!;
    switch (abbrev) {
      case '_ws.expert.message':
        return e.message;
      case '_ws.expert.severity':
        return SEVERITY_CODE[e.severity];
      case '_ws.expert.group':
        return GROUP_CODE[e.group];
      default:
        return true as const;
    }
  });
}

/** Types of the pseudo-fields, for reading literals compared with them. */
export const PSEUDO_FIELD_TYPES: Readonly<Record<string, 'none' | 'string' | 'u32'>> = {
  '_ws.expert': 'none',
  '_ws.expert.message': 'string',
  '_ws.expert.severity': 'u32',
  '_ws.expert.group': 'u32',
  '_ws.malformed': 'none',
  '_ws.short': 'none',
};

/**
 * The engine's pseudo-fields, as tshark prints them. An expert note is an item with `expert` set
 * (its own name may be the note's id, `tcp.connection.syn`, as in Wireshark, where that field
 * sits under `_ws.expert`): `_ws.expert` prints `Expert Info (Sev/Group): message`, and
 * `_ws.expert.message`, `.severity`, `.group` its parts (PI_* codes). `_ws.short` prints its tree
 * line, `_ws.malformed` its name.
 */
function pseudoColumn(d: Dissection, abbrev: string, aggregator: string): string {
  if (abbrev === '_ws.malformed') return d.protocols.filter((p) => p === abbrev).join(aggregator);
  if (abbrev.startsWith('_ws.expert')) {
    const parts = expertItems(d).map((it) => {
      const e = it.expert!;
      switch (abbrev) {
        case '_ws.expert':
          return `Expert Info (${severityName(e.severity)}/${groupName(e.group)}): ${e.message}`;
        case '_ws.expert.message':
          return e.message;
        case '_ws.expert.severity':
          return String(SEVERITY_CODE[e.severity]);
        case '_ws.expert.group':
          return String(GROUP_CODE[e.group]);
        default:
          return '';
      }
    });
    return parts.map(escapeFieldText).join(aggregator);
  }
  return findItems(d, abbrev)
    .map((it) => escapeFieldText(it.label))
    .join(aggregator);
}
