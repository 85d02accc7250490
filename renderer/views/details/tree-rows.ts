// The details tree flattened into the rows on screen: each layer, then its drawn items down to the
// expanded depth. Expansion is remembered by *kind* of node (protocol, then the chain of field
// names), not by position, so opening "Flags" in one TCP packet keeps it open in the next, as
// Wireshark keeps a subtree type expanded. Pure: tested without a DOM.
import type { Dissection, Item, Layer } from '../../../shared/dissect/types';
import type { FieldRef } from '../../state';

export interface TreeRow {
  ref: FieldRef;
  /** DOM id / React key: `2/5/1`. */
  key: string;
  /** Expansion memory key: `tcp>tcp.flags`. */
  kind: string;
  /** 1 for a layer. */
  level: number;
  label: string;
  abbrev: string;
  hasChildren: boolean;
  expanded: boolean;
  /** Index of the parent row in the list (-1 for layers). */
  parent: number;
  /** Position among its siblings (1-based) and their count, for aria-posinset / aria-setsize. */
  posInSet: number;
  setSize: number;
  layer: Layer;
  item: Item | null;
}

const drawn = (items: readonly Item[] | undefined): Item[] => (items ?? []).filter((i) => !i.hidden);

function kindOf(parentKind: string, it: Item): string {
  return `${parentKind}>${it.abbrev || it.label.replace(/[:\d].*$/, '')}`;
}

export function treeRows(d: Dissection, expanded: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  const layers = d.layers;
  layers.forEach((layer, li) => {
    const kind = layer.proto;
    const items = drawn(layer.items);
    const open = expanded.has(kind);
    out.push({
      ref: { layer: li, path: [] },
      key: String(li),
      kind,
      level: 1,
      label: layer.summary || layer.name,
      abbrev: layer.proto,
      hasChildren: items.length > 0,
      expanded: open && items.length > 0,
      parent: -1,
      posInSet: li + 1,
      setSize: layers.length,
      layer,
      item: null,
    });
    if (open) addItems(layer.items, layer, li, [], kind, 2, out.length - 1);
  });
  return out;

  function addItems(
    items: readonly Item[],
    layer: Layer,
    li: number,
    path: number[],
    parentKind: string,
    level: number,
    parent: number,
  ): void {
    const shown = drawn(items);
    let n = 0;
    items.forEach((it, i) => {
      if (it.hidden) return;
      n++;
      const kids = drawn(it.children);
      const kind = kindOf(parentKind, it);
      const open = kids.length > 0 && expanded.has(kind);
      const p = [...path, i];
      out.push({
        ref: { layer: li, path: p },
        key: [li, ...p].join('/'),
        kind,
        level,
        label: it.label,
        abbrev: it.abbrev,
        hasChildren: kids.length > 0,
        expanded: open,
        parent,
        posInSet: n,
        setSize: shown.length,
        layer,
        item: it,
      });
      if (open) addItems(it.children!, layer, li, p, kind, level + 1, out.length - 1);
    });
  }
}

/** Every expansion kind in a dissection (Expand all). */
export function allKinds(d: Dissection): string[] {
  const out: string[] = [];
  const walk = (items: readonly Item[] | undefined, parent: string) => {
    for (const it of items ?? []) {
      if (it.hidden || !it.children?.some((c) => !c.hidden)) continue;
      const kind = kindOf(parent, it);
      out.push(kind);
      walk(it.children, kind);
    }
  };
  for (const l of d.layers) {
    out.push(l.proto);
    walk(l.items, l.proto);
  }
  return out;
}

/** The expansion kinds of every ancestor of `ref` (to reveal a field chosen elsewhere). */
export function ancestorKinds(d: Dissection, ref: FieldRef): string[] {
  const layer = d.layers[ref.layer];
  if (!layer) return [];
  const kinds = [layer.proto];
  let items: readonly Item[] | undefined = layer.items;
  let kind = layer.proto;
  for (let k = 0; k < ref.path.length - 1; k++) {
    const it: Item | undefined = items?.[ref.path[k]];
    if (!it) break;
    kind = kindOf(kind, it);
    kinds.push(kind);
    items = it.children;
  }
  return kinds;
}

/** Byte range text for a tooltip: `bytes 34–35 (2)`, `byte 14`, or `generated` for computed values. */
export function rangeText(offset: number, length: number, generated: boolean): string {
  if (generated || length <= 0) return 'computed, not on the wire';
  return length === 1 ? `byte ${offset}` : `bytes ${offset}–${offset + length - 1} (${length})`;
}
