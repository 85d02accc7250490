// A protocol header as a Mermaid `packet` diagram (`packet-beta`): one bit range per field,
// `0-15: "Source Port"`, bits counted from the first byte of the header. Mermaid requires the
// ranges to be in order, without overlap and without gaps, so bytes no field covers are drawn as
// a range of their own and duplicate views of the same bytes (a raw value beside the relative
// one) are left out.
import { fieldByAbbrev } from '../dissect/fields';
import type { Item, Layer } from '../dissect/types';

export interface PacketField {
  /** First and last bit, from the start of the header (inclusive). */
  start: number;
  end: number;
  name: string;
}

interface Entry extends PacketField {
  masked: boolean;
}

function maskOf(it: Item): number {
  return it.mask || fieldByAbbrev(it.abbrev)?.mask || 0;
}

function nameOf(it: Item): string {
  const def = it.abbrev ? fieldByAbbrev(it.abbrev) : undefined;
  if (def) return def.name;
  const colon = it.label.indexOf(':');
  return colon > 0 ? it.label.slice(0, colon) : it.label;
}

/** Bit range of a masked field: the mask is aligned to the last byte of [offset, offset+length). */
function maskedRange(it: Item, base: number, mask: number): [number, number] {
  const width = it.length * 8;
  let lo = 0;
  while (lo < width && !(mask & (2 ** (width - 1 - lo)))) lo++;
  let hi = width - 1;
  while (hi > lo && !(mask & (2 ** (width - 1 - hi)))) hi--;
  const at = (it.offset - base) * 8;
  return [at + lo, at + hi];
}

/**
 * The header's fields as bit ranges. An unmasked item whose children are all bit fields of its
 * bytes (IPv4's DS field: DSCP and ECN) is drawn as those children; other items as themselves.
 */
export function packetFields(layer: Layer): PacketField[] {
  const base = layer.offset;
  const bytes = layer.headerLength || layer.length;
  const limit = bytes * 8;
  const entries: Entry[] = [];
  const add = (it: Item): void => {
    if (it.generated || it.hidden || it.source || it.length <= 0) return;
    if (it.offset < base || it.offset >= base + bytes) return;
    const mask = maskOf(it);
    const kids = it.children ?? [];
    if (!mask && kids.length && kids.every((k) => maskOf(k) && !k.generated && !k.hidden)) {
      for (const k of kids) add(k);
      return;
    }
    const [start, end] = mask
      ? maskedRange(it, base, mask)
      : [(it.offset - base) * 8, Math.min((it.offset - base + it.length) * 8, limit) - 1];
    entries.push({ start, end, name: nameOf(it), masked: !!mask });
  };
  for (const it of layer.items) add(it);
  entries.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Entry[] = [];
  for (const e of entries) {
    const prev = out[out.length - 1];
    if (prev && e.start <= prev.end) {
      // A whole-byte item that really holds only the high bits (TCP's Header Length beside the
      // Flags field that shares its byte): the masked neighbour wins the shared bits.
      if (e.masked && !prev.masked && e.start > prev.start && e.end >= prev.end) prev.end = e.start - 1;
      else continue;
    }
    out.push(e);
  }
  const filled: PacketField[] = [];
  let next = 0;
  for (const e of out) {
    if (e.start > next) filled.push({ start: next, end: e.start - 1, name: '(not dissected)' });
    filled.push({ start: e.start, end: e.end, name: e.name });
    next = e.end + 1;
  }
  if (next < limit) filled.push({ start: next, end: limit - 1, name: '(not dissected)' });
  return filled;
}

/** Mermaid's packet grammar reads a label as /"[^"]*"/ on one line: no quote, no line break. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, "'").replace(/[\r\n]+/g, ' ')}"`;
}

/** `packet-beta` text for one layer's header, titled with the layer's name. */
export function toMermaidPacket(layer: Layer): string {
  const lines = ['packet-beta', `title ${layer.name.replace(/[\r\n]+/g, ' ')}`];
  for (const f of packetFields(layer))
    lines.push(`${f.start === f.end ? f.start : `${f.start}-${f.end}`}: ${quoted(f.name)}`);
  return lines.join('\n') + '\n';
}
