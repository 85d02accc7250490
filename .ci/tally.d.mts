// Types for .ci/tally.mjs, so the TypeScript test can import it without allowJs.
export interface Step {
  name: string;
  ok: boolean;
  report?: string;
}
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  success: boolean;
}
export interface Total {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}
export declare function countsOf(report: unknown): Counts | null;
export declare function tally(steps: Step[], reportDir: string): Total;
export declare function summaryLine(total: { passed: number; failed: number; skipped: number }): string;
