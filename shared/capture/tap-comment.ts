// The pcapng comment every packet written by the no-privilege tap carries. It lives in shared/ so
// the renderer (which cannot import electron/) can recognise tap packets and show a badge saying
// their IP and TCP/UDP headers were reconstructed by Wirescope rather than captured off a wire.

export const TAP_COMMENT =
  'Wirescope tap: IP and TCP/UDP headers reconstructed from socket data; payload bytes and timing are real';

/** True when a packet comment marks a tap packet (extra text after the prefix is allowed). */
export function isTapComment(c: string): boolean {
  return c.startsWith('Wirescope tap');
}
