// Text measurement without a DOM (layout runs in Node, in the worker and in the page alike).
/**
 * Approximate text width for a sans-serif face (no DOM to measure with): capitals and digits are
 * wider than lower case, spaces and punctuation narrower; bold about a tenth wider.
 */
export function textWidth(s: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    if (/[MW]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.7;
    else if (/[0-9]/.test(ch)) em += 0.62;
    else if (/[mw]/.test(ch)) em += 0.85;
    else if (/[a-z]/.test(ch)) em += /[ijlft]/.test(ch) ? 0.3 : 0.56;
    else if (/[ .,:;'|!()[\]]/.test(ch)) em += 0.32;
    else em += 0.62;
  }
  return em * fontSize * (bold ? 1.15 : 1);
}

/** The longest prefix of `s` (with an ellipsis when cut) that fits `width`. */
export function clipText(s: string, width: number, fontSize: number, bold = false): string {
  if (textWidth(s, fontSize, bold) <= width) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (textWidth(s.slice(0, mid) + '\u2026', fontSize, bold) <= width) lo = mid;
    else hi = mid - 1;
  }
  return s.slice(0, Math.max(1, lo)) + '\u2026';
}
