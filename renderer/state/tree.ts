// Pure helpers over a Dissection for the selection: naming a tree node by its place (layer index
// and child path), resolving that back to the item, and finding the field a byte belongs to, as
// Wireshark's hex pane does when a byte is clicked.
import type { Dissection, Item, Layer } from '../../shared/dissect/types';

/** A node of the details tree: a layer (`path` empty) or an item below it (child indices). */
export interface FieldRef {
  layer: number;
  path: readonly number[];
}

/** A selected tree node with what the other views need without walking the tree again. */
export interface FieldSelection extends FieldRef {
  /** Filter name (`tcp.flags.syn`), the layer's protocol for a layer, '' for a text label. */
  abbrev: string;
  /** Data source: 0 = the frame, n = Dissection.sources[n - 1]. */
  source: number;
  offset: number;
  length: number;
  /** Bit mask within the range for bit fields, else 0. */
  mask: number;
}

/** Bytes highlighted in the hex view. */
export interface ByteRange {
  source: number;
  offset: number;
  length: number;
}

export function sameRef(a: FieldRef | null, b: FieldRef | null): boolean {
  if (!a || !b) return a === b;
  return a.layer === b.layer && a.path.length === b.path.length && a.path.every((x, i) => x === b.path[i]);
}

export function itemAtPath(layer: Layer, path: readonly number[]): Item | null {
  let items: readonly Item[] | undefined = layer.items;
  let item: Item | null = null;
  for (const i of path) {
    item = items?.[i] ?? null;
    if (!item) return null;
    items = item.children;
  }
  return item;
}

/** The selection a ref names in `d`, or null when the dissection has no such node. */
export function resolveRef(d: Dissection, ref: FieldRef): FieldSelection | null {
  const layer = d.layers[ref.layer];
  if (!layer) return null;
  if (ref.path.length === 0) {
    return {
      layer: ref.layer,
      path: [],
      abbrev: layer.proto,
      source: layer.source ?? 0,
      offset: layer.offset,
      length: layer.length,
      mask: 0,
    };
  }
  const item = itemAtPath(layer, ref.path);
  if (!item) return null;
  return {
    layer: ref.layer,
    path: [...ref.path],
    abbrev: item.abbrev,
    source: item.source ?? layer.source ?? 0,
    offset: item.offset,
    length: item.generated ? 0 : item.length,
    mask: item.mask ?? 0,
  };
}

/** The bytes a selection highlights: none for generated values, which have no bytes of their own. */
export function rangeOf(sel: FieldSelection): ByteRange | null {
  return sel.length > 0 ? { source: sel.source, offset: sel.offset, length: sel.length } : null;
}

/** Depth-first walk over the drawn (not hidden) items of every layer, with their refs. */
export function walkItems(
  d: Dissection,
  visit: (item: Item, ref: FieldRef, layer: Layer, depth: number) => boolean | void,
): void {
  const walk = (items: readonly Item[], layer: Layer, li: number, path: number[]): boolean => {
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.hidden) continue;
      path.push(i);
      if (visit(it, { layer: li, path: [...path] }, layer, path.length) === false) return false;
      if (it.children && !walk(it.children, layer, li, path)) return false;
      path.pop();
    }
    return true;
  };
  for (let li = 0; li < d.layers.length; li++) if (!walk(d.layers[li].items, d.layers[li], li, [])) return;
}

/**
 * The field a byte belongs to (a click in the hex view): among the drawn items on that data source
 * whose range holds the byte, a whole field before a bit field (a click on a MAC address byte means
 * the address, not its LG bit), then the narrowest, then the shallowest (`Destination` before its
 * `Address` twin of the same bytes), then the first in tree order; failing any item, the innermost
 * layer that holds it.
 */
export function fieldAtByte(d: Dissection, source: number, offset: number): FieldRef | null {
  let best: { ref: FieldRef; rank: [number, number, number] } | null = null;
  const better = (a: [number, number, number], b: [number, number, number]) =>
    a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  walkItems(d, (it, ref, layer, depth) => {
    if (it.generated || it.length <= 0) return;
    if ((it.source ?? layer.source ?? 0) !== source) return;
    if (offset < it.offset || offset >= it.offset + it.length) return;
    const rank: [number, number, number] = [it.mask ? 1 : 0, it.length, depth];
    if (!best || better(rank, best.rank) < 0) best = { ref, rank };
  });
  if (best) return (best as { ref: FieldRef }).ref;
  for (let li = d.layers.length - 1; li >= 0; li--) {
    const l = d.layers[li];
    if ((l.source ?? 0) === source && l.length > 0 && offset >= l.offset && offset < l.offset + l.length)
      return { layer: li, path: [] };
  }
  return null;
}

/** The first drawn node with this filter name (keeps a field selected from packet to packet). */
export function findByAbbrev(d: Dissection, abbrev: string): FieldRef | null {
  if (!abbrev) return null;
  let found: FieldRef | null = null;
  walkItems(d, (it, ref) => {
    if (it.abbrev === abbrev) {
      found = ref;
      return false;
    }
  });
  if (found) return found;
  const li = d.layers.findIndex((l) => l.proto === abbrev);
  return li >= 0 ? { layer: li, path: [] } : null;
}

/** Key of a tree node for React lists and expansion state: `2`, `2/5/1`. */
export function refKey(ref: FieldRef): string {
  return [ref.layer, ...ref.path].join('/');
}
