// What the Conversations table shows, as plain data: which streams (TCP, UDP or both), in which
// order, their endpoints and numbers as text, and which rows a scrolled window draws (a capture
// of a million packets holds tens of thousands of streams, so the table is virtualised). Pure.
import type { Conversation } from '../../../shared/contract/api';
import type { Dissection } from '../../../shared/dissect/types';

export type KindFilter = 'all' | 'tcp' | 'udp';

export type ConvColumn = 'stream' | 'a' | 'b' | 'packets' | 'bytes' | 'ab' | 'ba' | 'start' | 'duration';

export interface ConvSort {
  column: ConvColumn;
  descending: boolean;
}

/** `10.0.0.1:80`, `[2001:db8::1]:443` (RFC 5952 §6: brackets around an IPv6 address with a port). */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export const streamText = (c: Pick<Conversation, 'kind' | 'stream'>): string =>
  `${c.kind.toUpperCase()} ${c.stream}`;

export const countText = (n: number): string => n.toLocaleString('en-US');

/** Seconds as Wireshark's conversation table shows them (fixed decimals), e.g. `0.0123`. */
export function secondsText(s: number, decimals = 4): string {
  return s.toFixed(decimals);
}

/** Bytes for a narrow column: exact below 10 kB, then kB/MB/GB with 3 significant digits. */
export function bytesShort(n: number): string {
  if (n < 10_000) return countText(n);
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toPrecision(3)} ${units[u]}`;
}

/** A packet's own stream, from its dissection (the first tcp.stream / udp.stream item). */
export function streamOfDissection(d: Dissection): { kind: 'tcp' | 'udp'; stream: number } | null {
  for (const l of d.layers) {
    if (l.proto !== 'tcp' && l.proto !== 'udp') continue;
    const it = l.items.find((i) => i.abbrev === `${l.proto}.stream`);
    if (it && typeof it.value === 'number') return { kind: l.proto, stream: it.value };
  }
  return null;
}

const compareAddr = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

function key(c: Conversation, col: ConvColumn): number | string {
  switch (col) {
    case 'stream':
      return (c.kind === 'tcp' ? 0 : 1e12) + c.stream;
    case 'a':
      return endpointText(c.addressA, c.portA);
    case 'b':
      return endpointText(c.addressB, c.portB);
    case 'packets':
      return c.packets;
    case 'bytes':
      return c.bytes;
    case 'ab':
      return c.bytesAB;
    case 'ba':
      return c.bytesBA;
    case 'start':
      return c.relStart;
    case 'duration':
      return c.duration;
  }
}

/** The streams to list: of one kind or both, sorted (ties keep TCP before UDP, then stream order). */
export function conversationRows(
  list: readonly Conversation[],
  kind: KindFilter,
  sort: ConvSort | null,
): Conversation[] {
  const rows = kind === 'all' ? [...list] : list.filter((c) => c.kind === kind);
  const base = (x: Conversation, y: Conversation) =>
    x.kind === y.kind ? x.stream - y.stream : x.kind === 'tcp' ? -1 : 1;
  if (!sort) return rows.sort(base);
  const dir = sort.descending ? -1 : 1;
  return rows.sort((x, y) => {
    const a = key(x, sort.column);
    const b = key(y, sort.column);
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : compareAddr(String(a), String(b));
    return c !== 0 ? c * dir : base(x, y);
  });
}

/** Header click: ascending, descending, then back to stream order (as the packet list sorts). */
export function nextSort(cur: ConvSort | null, column: ConvColumn): ConvSort | null {
  if (!cur || cur.column !== column) return { column, descending: false };
  if (!cur.descending) return { column, descending: true };
  return null;
}

/** Rows [first, last) a window draws at `scrollTop`, with `overscan` rows either side. */
export function visibleWindow(
  scrollTop: number,
  viewHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): [number, number] {
  if (count === 0 || rowHeight <= 0) return [0, 0];
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}
