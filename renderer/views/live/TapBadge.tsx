// The badge on everything the tap wrote: its packets' payload bytes and timing are real, but their
// IP and TCP/UDP headers were rebuilt by Wirescope's relay, not captured off a wire.
export const TAP_BADGE = 'Headers reconstructed (tap)';
export const TAP_EXPLAIN =
  'Payload and timing are real; the IP/TCP headers were rebuilt by Wirescope’s relay.';

export function TapBadge({ explain = false }: { explain?: boolean }) {
  return (
    <span className={`tap-badge${explain ? ' with-text' : ''}`} title={TAP_EXPLAIN} data-testid="tap-badge">
      <span className="tap-badge-label">{TAP_BADGE}</span>
      {explain && <span className="tap-badge-text">{TAP_EXPLAIN}</span>}
    </span>
  );
}
