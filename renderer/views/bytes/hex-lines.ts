// What the hex view draws, as plain data: 16 bytes a line, the printable ASCII beside them, and
// which TCP/IP layer each byte belongs to (the innermost layer that covers it), so bytes can be
// tinted with the same colours as the layer stack. Pure, tested without a DOM.
import type { Dissection, TcpIpLayer } from '../../../shared/dissect/types';

export const BYTES_PER_LINE = 16;

export const LAYER_CODE: Readonly<Record<TcpIpLayer, number>> = {
  link: 1,
  internet: 2,
  transport: 3,
  application: 4,
};
export const CODE_LAYER: readonly (TcpIpLayer | null)[] = [
  null,
  'link',
  'internet',
  'transport',
  'application',
];

/** Per byte of data source `source`: 0 (no layer) or LAYER_CODE of the innermost layer covering it. */
export function layerMap(d: Dissection, source: number, length: number): Uint8Array {
  const map = new Uint8Array(length);
  for (const l of d.layers) {
    if (!l.place || (l.source ?? 0) !== source) continue;
    const code = LAYER_CODE[l.place.tcpip];
    const end = Math.min(length, l.offset + l.length);
    for (let i = Math.max(0, l.offset); i < end; i++) map[i] = code;
  }
  return map;
}

/** The layers present in a map, in stack order (for the legend). */
export function layersIn(map: Uint8Array): TcpIpLayer[] {
  const seen = new Set<number>(map);
  return [1, 2, 3, 4].filter((c) => seen.has(c)).map((c) => CODE_LAYER[c]!);
}

export function offsetText(offset: number, total: number): string {
  return offset.toString(16).padStart(total > 0xffff ? 8 : 4, '0');
}

export const hex2 = (b: number): string => (b < 16 ? '0' : '') + b.toString(16);

/** The ASCII pane's character for a byte: printable ASCII as itself, anything else as a dot. */
export const asciiChar = (b: number): string => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');

/** A bit field's mask over its bytes as dots and ones, a space between bytes: `.... ..1.`. */
export function bitMask(mask: number, length: number): string {
  const bits = Math.min(32, length * 8);
  let out = '';
  for (let i = bits - 1; i >= 0; i--) {
    out += Math.floor(mask / 2 ** i) % 2 ? '1' : '.';
    if (i > 0 && i % 4 === 0) out += i % 8 === 0 ? '  ' : ' ';
  }
  return out;
}
