// A packet-list row's colours from the colouring rule it matched (renderer/state/coloring-slice.ts).
// The same in every theme, as in Wireshark: people know "light purple is TCP".
import type { ColoringRule } from '../../shared/contract/api';

export interface RowColors {
  background: string;
  color: string;
}

/** `index`: the row's `color`, an index into the enabled rules the rows were asked with. */
export function rowColors(enabled: readonly ColoringRule[], index: number | null): RowColors | undefined {
  const rule = index === null ? undefined : enabled[index];
  return rule ? { background: rule.bg, color: rule.fg } : undefined;
}
