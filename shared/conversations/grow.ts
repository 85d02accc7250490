// Growable typed arrays for per-frame and per-conversation records: one allocation per doubling,
// none per packet. Index 0 is unused for frame-indexed arrays (frames count from 1).

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

/** Returns `a` if it can hold index `i`, else a copy at least twice as large (new slots hold `fill`). */
export function ensure<T extends TypedArray>(a: T, i: number, ctor: Ctor<T>, fill = 0): T {
  if (i < a.length) return a;
  let n = Math.max(16, a.length * 2);
  while (n <= i) n *= 2;
  const b = new ctor(n);
  b.set(a as never);
  if (fill !== 0) b.fill(fill as never, a.length);
  return b;
}
