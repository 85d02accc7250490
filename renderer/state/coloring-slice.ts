// The packet list's colouring rules (View › Coloring Rules): an ordered list of display filters
// with colours, Wireshark's defaults until the person edits them. They outlive the page
// (localStorage, as the other preferences); every row request carries the enabled rules' filters,
// so a change recolours the rows on screen at once.
import type { StateCreator } from 'zustand';
import { MAX_COLORING_RULES, MAX_FILTER, type ColoringRule } from '../../shared/contract/api';
import { DEFAULT_COLORING } from '../../shared/filter/coloring';
import type { PrefsStorage } from './prefs-slice';
import type { Store } from './store';

export interface ColoringSlice {
  coloringRules: ColoringRule[];
  /** Replaces the list (the editor's every change), keeps it and recolours the rows. */
  setColoringRules(rules: ColoringRule[]): void;
  /** Back to Wireshark's defaults. */
  resetColoring(): void;
}

export const COLORING_KEY = 'wirescope.coloring';

const HEX = /^#[0-9a-f]{6}$/i;

/** A stored rule as far as it is one; anything else (an older or damaged entry) is dropped. */
function asRule(v: unknown): ColoringRule | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  if (typeof r.name !== 'string' || typeof r.filter !== 'string') return null;
  if (typeof r.fg !== 'string' || !HEX.test(r.fg) || typeof r.bg !== 'string' || !HEX.test(r.bg)) return null;
  return {
    name: r.name.slice(0, 200),
    filter: r.filter.slice(0, MAX_FILTER),
    fg: r.fg.toLowerCase(),
    bg: r.bg.toLowerCase(),
    enabled: r.enabled !== false,
  };
}

export function readColoring(storage: PrefsStorage | null): ColoringRule[] {
  try {
    const raw = storage?.getItem(COLORING_KEY);
    if (raw) {
      const v: unknown = JSON.parse(raw);
      if (Array.isArray(v)) {
        return v
          .map(asRule)
          .filter((r): r is ColoringRule => r !== null)
          .slice(0, MAX_COLORING_RULES);
      }
    }
  } catch {
    // A damaged entry: the defaults are a fine start.
  }
  return DEFAULT_COLORING.map((r) => ({ ...r }));
}

export function createColoringSlice(
  storage: PrefsStorage | null,
): StateCreator<Store, [], [], ColoringSlice> {
  return (set, get) => {
    const keep = (rules: ColoringRule[]) => {
      set({ coloringRules: rules });
      try {
        storage?.setItem(COLORING_KEY, JSON.stringify(rules));
      } catch {
        // Storage full or refused: the rules last for this page only.
      }
      get().recolor();
    };
    return {
      coloringRules: readColoring(storage),
      setColoringRules(rules) {
        keep(rules.slice(0, MAX_COLORING_RULES));
      },
      resetColoring() {
        keep(DEFAULT_COLORING.map((r) => ({ ...r })));
      },
    };
  };
}
