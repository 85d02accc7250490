// Text measurement without a DOM (layout runs in Node, in the worker and in the page alike).
/** Em widths of the ASCII characters, a table: textWidth runs for every label drawn (issue #6). */
const ASCII_EM = Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  if (/[MW]/.test(ch)) return 0.9;
  if (/[A-Z]/.test(ch)) return 0.7;
  if (/[0-9]/.test(ch)) return 0.62;
  if (/[mw]/.test(ch)) return 0.85;
  if (/[a-z]/.test(ch)) return /[ijlft]/.test(ch) ? 0.3 : 0.56;
  if (/[ .,:;'|!()[\]]/.test(ch)) return 0.32;
  return 0.62;
});

/**
 * Approximate text width for a sans-serif face (no DOM to measure with): capitals and digits are
 * wider than lower case, spaces and punctuation narrower; bold about a tenth wider.
 */
export function textWidth(s: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    em += c < 128 ? ASCII_EM[c] : 0.62;
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
