// Wireshark's default row colours (shared/contract/coloring.ts), as the packet list and its
// legend use them. The same in every theme, as in Wireshark: people know "light purple is TCP".
import type { ColorRule } from '../../shared/contract/api';
import { COLOR_STYLES } from '../../shared/contract/coloring';

export interface RowColors {
  background: string;
  color: string;
}

export function rowColors(rule: ColorRule | null): RowColors | undefined {
  if (!rule) return undefined;
  const s = COLOR_STYLES[rule];
  return { background: s.bg, color: s.fg };
}
