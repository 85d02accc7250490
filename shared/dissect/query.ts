// Finding fields in a dissection: the `-T fields` column for one filter name, and the items
// behind it. Display filters and the CLI both ask through here.
import { fieldByAbbrev } from './fields';
import { bytesHex, escapeFieldText, fieldsText } from './format';
import type { Dissection, FieldDef, Item, Layer } from './types';

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

/**
 * The engine's pseudo-protocols, as tshark prints them: `_ws.expert` as `Expert Info (Sev/Group):
 * message` (the tree's brackets mark a generated item and are not part of the text), `_ws.short`
 * as its tree line, `_ws.malformed` as its abbreviation.
 */
function pseudoColumn(d: Dissection, abbrev: string, aggregator: string): string {
  if (abbrev === '_ws.malformed') return d.protocols.filter((p) => p === abbrev).join(aggregator);
  const items = findItems(d, abbrev);
  return items
    .map((it) => {
      const text =
        it.generated && it.abbrev === '_ws.expert' && it.label.startsWith('[') && it.label.endsWith(']')
          ? it.label.slice(1, -1)
          : it.label;
      return escapeFieldText(text);
    })
    .join(aggregator);
}
