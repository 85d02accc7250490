// Which colouring rule a packet matches first: the rules' filters compiled once (coloring.ts
// holds the rules themselves and Wireshark's file format).
import { compileFilter, type Filter, type FilterError, type FilterTarget } from './compile';

/** Filters compiled once; which one a packet matches first. */
export interface ColoringMatcher {
  /** Index of the first filter selecting the packet, or null. */
  match(t: FilterTarget): number | null;
  /** Per filter: null when it compiled, else why not (such a rule never matches). */
  readonly errors: readonly (FilterError | null)[];
}

export function compileColoring(filters: readonly string[]): ColoringMatcher {
  const compiled: (Filter | null)[] = [];
  const errors: (FilterError | null)[] = [];
  // The list's size and each filter's length are bounded by the packets.rows guard.
  for (const text of filters) {
    const c = compileFilter(text);
    compiled.push(c.ok ? c.filter : null);
    errors.push(c.ok ? null : c.error);
  }
  return {
    errors,
    match(t) {
      for (let i = 0; i < compiled.length; i++) {
        const f = compiled[i];
        // A filter that throws on an odd packet must not take the whole screenful of rows with it.
        try {
          if (f?.test(t)) return i;
        } catch {
          // Not this rule.
        }
      }
      return null;
    },
  };
}
