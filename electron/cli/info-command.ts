// `wirescope info FILE`: the index pass (link to transport layers) and what capinfos says,
// with the TCP streams and UDP conversations the pass numbered.
import { statSync } from 'node:fs';
import { indexTransport } from '../backend/transport-pass';
import type { Command } from './args';
import { infoJson, infoText } from './info';
import { type Io, type Out, warn } from './out';

export async function runInfo(cmd: Command, out: Out, io: Io): Promise<number> {
  const cap = await indexTransport(cmd.file);
  const j = infoJson(cmd.file, statSync(cmd.file).size, cap.summary);
  out.text(cmd.json ? JSON.stringify(j, null, 2) + '\n' : infoText(j));
  warn(io, cmd.file, cap);
  return 0;
}
