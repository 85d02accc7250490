// Placeholder until its dissector lands (issue #3); registered in index.ts already so that
// helpers working in parallel need not edit index.ts.
import type { Dissector } from '../dissect/engine';

export const dissectors: readonly Dissector[] = [];
