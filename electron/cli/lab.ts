// `wirescope lab websocket|tcp-udp …`: a lab run headless, its application messages printed as
// they happen, its capture written with -w.
import type { Io } from './run';

export async function runLab(argv: readonly string[], io: Io): Promise<number> {
  void argv;
  io.err.write('wirescope lab: not built yet\n');
  return 2;
}
