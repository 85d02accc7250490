// What every statistic is fed, one frame at a time in capture order (tshark's single pass): the
// first-pass dissection and the frame's own bytes, its length on the wire and its time since the
// first frame. Tree and columns are only needed by statistics that read fields (filters, DNS).
import type { Dissection } from '../dissect/types';

export interface StatFrame {
  /** Frame number, 1-based. */
  number: number;
  /** frame.len: bytes on the wire (tshark's statistics count these, not captured bytes). */
  len: number;
  /** frame.time_relative in seconds. */
  rel: number;
  /** frame.time_relative in whole microseconds, rounded as tshark's io,stat rounds it. */
  relUs: number;
  /** tcp.stream or udp.stream of the frame's first TCP/UDP layer (the packet index's), or -1. */
  stream: number;
  d: Dissection;
  bytes: Uint8Array;
}

/** Relative time of a frame from its timestamp and the first frame's (seconds + nanoseconds). */
export function relativeOf(
  sec: number,
  nsec: number,
  firstSec: number,
  firstNsec: number,
): { rel: number; relUs: number } {
  let s = sec - firstSec;
  let n = nsec - firstNsec;
  if (n < 0) {
    n += 1e9;
    s -= 1;
  }
  return { rel: s + n / 1e9, relUs: s * 1e6 + Math.floor((n + 500) / 1000) };
}
