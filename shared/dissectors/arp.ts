// Placeholder until this dissector lands; replaced whole by its owner.
import type { Dissector } from '../dissect/engine';

export const dissectors: readonly Dissector[] = [];
