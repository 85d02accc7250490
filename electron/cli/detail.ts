// `detail`: one frame's layer tree, as `tshark -V` prints it, plus what tshark leaves out: every
// item's byte range (`@offset+length`, frame offsets unless another data source is named) and
// every layer's place in both models. `--json` gives the same for programs.
import { fieldByAbbrev } from '../../shared/dissect/fields';
import { bytesHex, fieldsText } from '../../shared/dissect/format';
import type { Dissection, Expert, FieldValue, Item, Layer, LayerPlace } from '../../shared/dissect/types';

const OSI_NAMES = [
  '',
  'physical',
  'data link',
  'network',
  'transport',
  'session',
  'presentation',
  'application',
];
const TCPIP_NAMES = {
  link: 'link',
  internet: 'internet',
  transport: 'transport',
  application: 'application',
} as const;

export function placeText(place: LayerPlace | null): string {
  if (!place) return '';
  return `[OSI ${place.osi} ${OSI_NAMES[place.osi]} | TCP/IP ${TCPIP_NAMES[place.tcpip]}]`;
}

function rangeText(d: Dissection, offset: number, length: number, source: number | undefined): string {
  const where = source ? ` in ${d.sources[source - 1]?.name ?? `source ${source}`}` : '';
  return `@${offset}+${length}${where}`;
}

function itemLines(d: Dissection, items: readonly Item[], depth: number, out: string[]): void {
  const pad = '    '.repeat(depth);
  for (const it of items) {
    // Hidden items exist for filters and -T fields only; Wireshark's tree does not draw them.
    if (it.hidden) continue;
    // Generated items have no bytes of their own (length 0): Wireshark brackets them, we add no range.
    const range = it.generated && it.length === 0 ? '' : `  ${rangeText(d, it.offset, it.length, it.source)}`;
    const mask = it.mask ? ` mask 0x${it.mask.toString(16)}` : '';
    out.push(`${pad}${it.label}${range}${range ? mask : ''}`);
    if (it.children?.length) itemLines(d, it.children, depth + 1, out);
  }
}

function layerHeader(d: Dissection, l: Layer): string {
  const flags = `${l.malformed ? '  [malformed]' : ''}${l.truncated ? '  [truncated]' : ''}`;
  const place = l.place ? `  ${placeText(l.place)}` : '';
  return `${l.summary}  ${rangeText(d, l.offset, l.length, l.source)} header ${l.headerLength}${place}${flags}`;
}

/** The tree as text: one layer header per layer, its items indented by four spaces a level. */
export function detailText(d: Dissection): string {
  const out: string[] = [];
  for (const l of d.layers) {
    out.push(layerHeader(d, l));
    itemLines(d, l.items, 1, out);
  }
  return out.join('\n') + '\n';
}

// ---- JSON ---------------------------------------------------------------------------------------

export type JsonValue = string | number | boolean | null | { sec: number; nsec: number };

/** A field value as JSON: bytes as hex, 64-bit integers as decimal strings, times as {sec, nsec}. */
export function jsonValue(v: FieldValue): JsonValue {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return bytesHex(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object') return { sec: v.sec, nsec: v.nsec };
  return v;
}

export interface ItemJson {
  abbrev: string;
  label: string;
  offset: number;
  length: number;
  source?: number;
  mask?: number;
  value: JsonValue;
  /** The value as `tshark -T fields` prints it. */
  show: string;
  generated?: boolean;
  hidden?: boolean;
  expert?: Expert;
  children?: ItemJson[];
}

export interface LayerJson {
  proto: string;
  name: string;
  summary: string;
  place: LayerPlace | null;
  pdu?: string;
  offset: number;
  length: number;
  headerLength: number;
  source?: number;
  malformed: boolean;
  truncated: boolean;
  experts: Expert[];
  items: ItemJson[];
}

export interface DetailJson {
  frame: number;
  protocols: string;
  columns: Dissection['columns'];
  /** The frame's bytes as hex (what every frame offset refers to). */
  bytes: string;
  sources: { index: number; name: string; length: number; bytes: string }[];
  layers: LayerJson[];
}

function itemJson(it: Item): ItemJson {
  const def = it.abbrev ? fieldByAbbrev(it.abbrev) : undefined;
  const j: ItemJson = {
    abbrev: it.abbrev,
    label: it.label,
    offset: it.offset,
    length: it.length,
    value: jsonValue(it.value),
    show: def ? fieldsText(def, it.value) : '',
  };
  if (it.source) j.source = it.source;
  if (it.mask) j.mask = it.mask;
  if (it.generated) j.generated = true;
  if (it.hidden) j.hidden = true;
  if (it.expert) j.expert = it.expert;
  if (it.children?.length) j.children = it.children.map(itemJson);
  return j;
}

export function detailJson(d: Dissection, frameBytes: Uint8Array): DetailJson {
  return {
    frame: d.frame,
    protocols: d.protocols.join(':'),
    columns: d.columns,
    bytes: bytesHex(frameBytes),
    sources: d.sources.map((s, k) => ({
      index: k + 1,
      name: s.name,
      length: s.bytes.length,
      bytes: bytesHex(s.bytes),
    })),
    layers: d.layers.map((l) => {
      const j: LayerJson = {
        proto: l.proto,
        name: l.name,
        summary: l.summary,
        place: l.place,
        offset: l.offset,
        length: l.length,
        headerLength: l.headerLength,
        malformed: l.malformed,
        truncated: l.truncated,
        experts: l.experts,
        items: l.items.map(itemJson),
      };
      if (l.pdu) j.pdu = l.pdu;
      if (l.source) j.source = l.source;
      return j;
    }),
  };
}
