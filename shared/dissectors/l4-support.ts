// Helpers shared by the transport dissectors (tcp, udp, icmp, icmpv6): expert items that carry
// their own filter name, hidden items, relative times, the Internet checksum, and the IP
// header fields ICMP shows in its Info column.
import type { Cursor, ShortRead } from '../dissect/cursor';
import type { PacketInfo } from '../dissect/packet';
import type { ExpertGroup, FieldDef, Item, Severity } from '../dissect/types';

const SEVERITY: Record<Severity, string> = {
  comment: 'Comment',
  chat: 'Chat',
  note: 'Note',
  warn: 'Warning',
  error: 'Error',
};
const GROUP: Record<ExpertGroup, string> = {
  malformed: 'Malformed',
  protocol: 'Protocol',
  sequence: 'Sequence',
  checksum: 'Checksum',
  reassemble: 'Reassemble',
  undecoded: 'Undecoded',
  decryption: 'Decryption',
  comment: 'Comment',
  response: 'Response',
  request: 'Request',
};

/**
 * An expert note as Wireshark builds it: a `_ws.expert` item (`[Expert Info (Note/Sequence): …]`)
 * holding an item named after the expert itself (`tcp.analysis.retransmission`), so filters on
 * either find the frame. Without a tree only notes that make the layer malformed count: the index
 * pass builds no objects it does not need.
 */
export function expertItem(
  c: Cursor,
  f: FieldDef,
  severity: Severity,
  group: ExpertGroup,
  message: string,
  at: number,
): void {
  if (group === 'malformed') c.malformed = true;
  if (!c.tree) return;
  const e = { id: f.abbrev, severity, group, message, offset: at, length: 0 };
  c.experts.push(e);
  const it = c.label(`[Expert Info (${SEVERITY[severity]}/${GROUP[group]}): ${message}]`, at, 0);
  if (!it) return;
  it.abbrev = '_ws.expert';
  it.expert = e;
  it.generated = true;
  c.within(it, () => gen(c.add(f, at, 0, null, `[${message}]`)));
}

/** A text item with an expert note under it (Wireshark's proto_tree_add_expert). */
export function expertLabel(
  c: Cursor,
  f: FieldDef,
  severity: Severity,
  group: ExpertGroup,
  message: string,
  at: number,
  len: number,
): void {
  if (!c.tree) {
    if (group === 'malformed') c.malformed = true;
    return;
  }
  const it = c.label(message, at, len);
  c.within(it, () => expertItem(c, f, severity, group, message, at));
}

/** Wireshark hides some items (both `tcp.port` occurrences) that filters still match. */
export function hide(it: Item | null): Item | null {
  if (it) it.hidden = true;
  return it;
}

/**
 * The addresses of the packet an ICMP error quotes. They are the bytes of the quoted IP header
 * right before this layer (after its extension headers for IPv6), found by its version, header
 * length and protocol; the frame's own addresses when no such header is there.
 */
export function quotedAddresses(
  c: Cursor,
  p: PacketInfo,
  proto: number,
): { type: 0 | 4 | 6; src: Uint8Array | null; dst: Uint8Array | null } {
  const d = c.data;
  const at = c.start;
  for (let h = 20; h <= 60 && at - h >= 0; h += 4) {
    const o = at - h;
    if (d[o] === (0x40 | (h >> 2)) && d[o + 9] === proto)
      return { type: 4, src: d.slice(o + 12, o + 16), dst: d.slice(o + 16, o + 20) };
  }
  for (let o = at - 40; o >= 0 && at - o <= 40 + 2048; o -= 8) {
    if (d[o] >> 4 !== 6) continue;
    let nh = d[o + 6];
    let pos = o + 40;
    while (pos < at && (nh === 0 || nh === 43 || nh === 60 || nh === 44)) {
      const len = nh === 44 ? 8 : (d[pos + 1] + 1) * 8;
      nh = d[pos];
      pos += len;
    }
    if (pos === at && nh === proto)
      return { type: 6, src: d.slice(o + 8, o + 24), dst: d.slice(o + 24, o + 40) };
  }
  return { type: p.netType, src: p.netSrc, dst: p.netDst };
}

export function gen(it: Item | null): Item | null {
  if (it) it.generated = true;
  return it;
}

/** A duration in nanoseconds as a Timestamp value. */
export function relTime(ns: number): { sec: number; nsec: number } {
  const neg = ns < 0;
  const a = Math.abs(ns);
  const sec = Math.floor(a / 1e9);
  const nsec = Math.round(a - sec * 1e9);
  return neg ? { sec: -sec, nsec: -nsec } : { sec, nsec };
}

/** A duration in nanoseconds as tshark prints it: `0.000042000`. */
export function relTimeText(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(ns);
  const sec = Math.floor(a / 1e9);
  return `${neg ? '-' : ''}${sec}.${String(Math.round(a - sec * 1e9)).padStart(9, '0')}`;
}

/** One's complement sum of 16-bit words (RFC 1071), not yet inverted, starting from `sum`. */
export function onesSum(b: Uint8Array, at: number, len: number, sum = 0): number {
  let s = sum;
  let i = at;
  const end = at + len;
  for (; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The value a checksum field should have held, given the computed sum of the message (RFC 1624). */
export function checksumShouldBe(field: number, computed: number): number {
  let s = (~field & 0xffff) + computed;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/**
 * The IPv4 TTL or IPv6 hop limit of the packet carrying this layer (PacketInfo does not carry it).
 * p.netSrc is a view into the IP header that set it (in the frame, even when this layer is
 * dissected from reassembled data): the header is read around it. Failing that (a copied address),
 * the header right before this layer in the same data (IPv6 possibly with extension headers in
 * between) is found by its version, addresses and length.
 */
export function hopLimit(c: Cursor, p: PacketInfo): number {
  const src = p.netSrc;
  if (src) {
    const o = src.byteOffset;
    const whole = new Uint8Array(src.buffer, 0, o + src.length);
    if (p.netType === 4 && src.length === 4 && o >= 12 && whole[o - 12] >> 4 === 4) return whole[o - 4];
    if (p.netType === 6 && src.length === 16 && o >= 8 && whole[o - 8] >> 4 === 6) return whole[o - 1];
  }
  return hopLimitIn(c.data, c.start, p);
}

function hopLimitIn(d: Uint8Array, at: number, p: PacketInfo): number {
  const src = p.netSrc;
  const dst = p.netDst;
  if (!src || !dst) return -1;
  if (p.netType === 4) {
    for (let o = at - 20; o >= 0 && at - o <= 60; o--) {
      const h = (d[o] & 0x0f) * 4;
      if (d[o] >> 4 !== 4 || o + h !== at) continue;
      if (same(d, o + 12, src) && same(d, o + 16, dst)) return d[o + 8];
    }
  } else if (p.netType === 6) {
    // The destination may be a routing header's final one, not the header's: match the source.
    for (let o = at - 40; o >= 0 && at - o <= 40 + 2048; o -= 8) {
      if (d[o] >> 4 !== 6) continue;
      if (same(d, o + 8, src)) return d[o + 7];
    }
  }
  return -1;
}

function same(d: Uint8Array, at: number, b: Uint8Array): boolean {
  if (at + b.length > d.length) return false;
  for (let i = 0; i < b.length; i++) if (d[at + i] !== b[i]) return false;
  return true;
}

/** Wireshark's time_secs_to_str / time_msecs_to_str: `7 hours, 3 minutes, 28.269 seconds`. */
export function durationText(totalMs: number, withMs: boolean): string {
  const neg = totalMs < 0;
  let ms = Math.abs(totalMs);
  const msecs = ms % 1000;
  let secs = Math.floor(ms / 1000);
  ms = 0;
  const days = Math.floor(secs / 86400);
  secs -= days * 86400;
  const hours = Math.floor(secs / 3600);
  secs -= hours * 3600;
  const mins = Math.floor(secs / 60);
  secs -= mins * 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (mins) parts.push(`${mins} minute${mins === 1 ? '' : 's'}`);
  if (withMs && msecs) parts.push(`${secs}.${String(msecs).padStart(3, '0')} seconds`);
  else if (secs || parts.length === 0) parts.push(`${secs} second${secs === 1 ? '' : 's'}`);
  return (neg ? '-' : '') + parts.join(', ');
}

/**
 * Ends a layer stopped by a short read exactly as the engine does (Engine.failed: the truncation
 * note or the malformed expert, the Info suffix), for a dissector that catches the read to give
 * the layer the summary it had built so far: Wireshark writes a layer's summary as it goes, while
 * the engine keeps only the protocol name for a layer that throws. Return `{ next: null, summary }`
 * after it.
 */
export function endLayer(c: Cursor, p: PacketInfo, e: ShortRead, name: string): void {
  if (e.kind === 'truncated') {
    c.truncated = true;
    if (c.tree)
      c.items.push({
        abbrev: '_ws.short',
        label: `[Packet size limited during capture: ${name} truncated]`,
        offset: e.at,
        length: 0,
        value: null,
        generated: true,
      });
    if (p.cols) p.columns.info += '[Packet size limited during capture]';
    return;
  }
  const msg = `Malformed Packet: ${name} (needed ${e.wanted} byte${e.wanted === 1 ? '' : 's'} at offset ${e.at}, layer ends at ${c.declaredEnd})`;
  c.expert('_ws.malformed', 'error', 'malformed', msg, e.at, 0);
  c.malformed = true;
  p.protocols.push('_ws.malformed');
  if (p.cols) p.columns.info += '[Malformed Packet]';
}
