// `wirescope capture [-i IFACE] [-f FILTER] [-w FILE] [--duration S | --count N]`: live capture
// through the capture helper, a summary line per packet as it arrives (like tshark).
import type { Io } from './run';

export async function runCapture(argv: readonly string[], io: Io): Promise<number> {
  void argv;
  io.err.write('wirescope capture: not built yet\n');
  return 2;
}
