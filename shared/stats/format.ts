// Text helpers shared by the tshark-shaped statistics tables: printf-style padding, fixed
// decimals, and Wireshark's format_size (SI prefixes, as the conversation tables print bytes).

export function padLeft(s: string | number, width: number): string {
  return String(s).padStart(width);
}

export function padRight(s: string | number, width: number): string {
  return String(s).padEnd(width);
}

/** printf `%.Nf` for the non-negative values the tables print (rounds half away from zero). */
export function fixed(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/**
 * Wireshark's format_size with FORMAT_SIZE_UNIT_BYTES | FORMAT_SIZE_PREFIX_SI (wsutil/str_util.c):
 * integer division by the largest power of 1000 that leaves at least two digits, so 9999 is
 * "9999 bytes" and 10000 is "10 kB".
 */
export function formatSize(size: number): string {
  const k = 1000;
  if (size >= 10 * k ** 5) return `${Math.floor(size / k ** 5)} PB`;
  if (size >= 10 * k ** 4) return `${Math.floor(size / k ** 4)} TB`;
  if (size >= 10 * k ** 3) return `${Math.floor(size / k ** 3)} GB`;
  if (size >= 10 * k ** 2) return `${Math.floor(size / k ** 2)} MB`;
  if (size >= 10 * k) return `${Math.floor(size / k)} kB`;
  return `${size} bytes`;
}

/** A time as seconds (double) from seconds + nanoseconds relative to a reference. */
export function secondsSince(sec: number, nsec: number, refSec: number, refNsec: number): number {
  return sec - refSec + (nsec - refNsec) / 1e9;
}
