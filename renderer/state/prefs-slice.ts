// The person's display choices: theme and font zoom. They outlive the page (localStorage, where
// the page has one) and are applied by the shell to the document root.
import type { StateCreator } from 'zustand';
import type { Store } from './store';

export type Theme = 'light' | 'dark' | 'contrast';
export const THEMES: readonly Theme[] = ['light', 'dark', 'contrast'];

/** Font zoom steps (Ctrl +/−/0), as browsers step page zoom; 1 = 100 %. */
export const ZOOM_STEPS = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3] as const;

export interface Prefs {
  theme: Theme;
  zoom: number;
}

export interface PrefsSlice extends Prefs {
  setTheme(theme: Theme): void;
  /** One step up (+1) or down (-1) the zoom ladder. */
  zoomBy(step: 1 | -1): void;
  zoomReset(): void;
}

export const PREFS_KEY = 'wirescope.prefs';

/** Minimal storage (window.localStorage in a page; absent in Node tests). */
export interface PrefsStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readPrefs(storage: PrefsStorage | null, fallbackTheme: Theme): Prefs {
  const prefs: Prefs = { theme: fallbackTheme, zoom: 1 };
  try {
    const raw = storage?.getItem(PREFS_KEY);
    if (!raw) return prefs;
    const v = JSON.parse(raw) as Partial<Record<keyof Prefs, unknown>>;
    if (THEMES.includes(v.theme as Theme)) prefs.theme = v.theme as Theme;
    if (typeof v.zoom === 'number' && (ZOOM_STEPS as readonly number[]).includes(v.zoom)) prefs.zoom = v.zoom;
  } catch {
    // A damaged entry is ignored: the defaults are a fine start.
  }
  return prefs;
}

export function createPrefsSlice(
  storage: PrefsStorage | null,
  initial: Prefs,
): StateCreator<Store, [], [], PrefsSlice> {
  return (set, get) => {
    const save = () => {
      try {
        storage?.setItem(PREFS_KEY, JSON.stringify({ theme: get().theme, zoom: get().zoom }));
      } catch {
        // Storage full or refused (private window): the choice lasts for this page only.
      }
    };
    return {
      ...initial,
      setTheme(theme) {
        set({ theme });
        save();
      },
      zoomBy(step) {
        const z = get().zoom;
        let i = ZOOM_STEPS.findIndex((s) => s >= z - 1e-9);
        if (i < 0) i = ZOOM_STEPS.length - 1;
        else if (ZOOM_STEPS[i] > z + 1e-9 && step > 0) i--;
        const next = ZOOM_STEPS[Math.max(0, Math.min(ZOOM_STEPS.length - 1, i + step))];
        set({ zoom: next });
        save();
      },
      zoomReset() {
        set({ zoom: 1 });
        save();
      },
    };
  };
}
