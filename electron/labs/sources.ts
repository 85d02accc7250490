// The labs' real live sources: a capture helper and the tap.
//
// Labs prefer tcpdump over dumpcap (the reverse of live capture's order, which follows Wireshark):
// a lab is watched as it happens, and dumpcap 4.0 hands packets over only when libpcap's 250 ms
// read timeout expires (measured on loopback: p50 131 ms, p95 236 ms from capture to our reader),
// while tcpdump with --immediate-mode delivers each packet at once (p95 2 ms). See
// docs/decisions/live-capture.md.
import { captureHelper, findHelper } from '../live/capture-helper';
import { Tap } from '../live/tap';
import type { LabSources } from './lab';

export const realSources: LabSources = {
  capture: ({ iface, filter }) => captureHelper({ iface, filter, helper: findHelper('tcpdump')?.name }),
  tap: () => new Tap(),
};
