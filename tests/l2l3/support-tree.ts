// Small helpers for asserting on dissections in the l2l3 unit tests.
import { fieldColumn, findItems } from '../../shared/dissect/query';
import type { Dissection, Item } from '../../shared/dissect/types';

/** `tshark -T fields` text of each abbreviation, as an object for one toEqual. */
export function cols(d: Dissection, ...abbrevs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of abbrevs) out[a] = fieldColumn(d, a);
  return out;
}

export function item(d: Dissection, abbrev: string, n = 0): Item {
  const it = findItems(d, abbrev)[n];
  if (!it) throw new Error(`no ${abbrev} item #${n}`);
  return it;
}

export function layer(d: Dissection, proto: string) {
  const l = d.layers.find((x) => x.proto === proto);
  if (!l) throw new Error(`no ${proto} layer`);
  return l;
}

/** Every item of every layer, children included. */
export function allItems(d: Dissection): Item[] {
  const out: Item[] = [];
  const walk = (items: Item[]) => {
    for (const it of items) {
      out.push(it);
      if (it.children) walk(it.children);
    }
  };
  for (const l of d.layers) walk(l.items);
  return out;
}
