// TCP sequence-number arithmetic (RFC 793 §3.3, RFC 1982): numbers live in a 32-bit circle, so
// "before" and "after" are decided by the sign of the 32-bit difference, never by a bare `<`.
// These mirror Wireshark's LT_SEQ/GT_SEQ/LE_SEQ/GE_SEQ macros bit for bit.

/** a comes before b. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
/** a comes before b or equals it. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
/** a comes after b. */
export function seqGt(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}
/** a comes after b or equals it. */
export function seqGe(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}
/** (a + n) mod 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
/** (a - b) mod 2^32: the distance from b forward to a. */
export function seqSub(a: number, b: number): number {
  return (a - b) >>> 0;
}
