// The labs' real live sources: the capture helper (dumpcap, else tcpdump) and the tap.
import { captureHelper } from '../live/capture-helper';
import { Tap } from '../live/tap';
import type { LabSources } from './lab';

export const realSources: LabSources = {
  capture: ({ iface, filter }) => captureHelper({ iface, filter }),
  tap: () => new Tap(),
};
