// Running `wirescope lab …` in-process for the lab tests, and the skip reasons they share.
import { Writable } from 'node:stream';
import { runLab } from '../../electron/cli/lab';
import { findHelper } from '../../electron/live/capture-helper';

export function textSink(): { stream: Writable; text: () => string } {
  let s = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      s += String(chunk);
      cb();
    },
  });
  return { stream, text: () => s };
}

export async function labCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = textSink();
  const err = textSink();
  const code = await runLab(args, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

/** Why capture-helper mode cannot run here ('' when it can). */
export const captureMissing = (() => {
  if (process.getuid?.() !== 0)
    return 'not root: capture-helper mode needs capture rights (the tap tests still run)';
  if (!findHelper()) return 'neither dumpcap nor tcpdump is installed: capture-helper mode skipped';
  return '';
})();

import type { LabEvent, LabStart } from '../../shared/contract/api';
import { createLab, type LabOptions } from '../../electron/labs/lab';
import { realSources } from '../../electron/labs/sources';
import { pcapngFileSink } from '../../electron/live/sinks';

/** Runs a lab with the real sources into a pcapng file; resolves with its events once it ended. */
export async function runLabToFile(
  start: LabStart,
  file: string,
  extra: Partial<LabOptions> = {},
): Promise<{ ok: boolean; events: LabEvent[] }> {
  const events: LabEvent[] = [];
  let sink: ReturnType<typeof pcapngFileSink> | null = null;
  const lab = await createLab(start, {
    id: 'test-lab',
    sources: realSources,
    emit: (e) => events.push(e),
    captureFile: async () => {
      await sink!.finished;
      return file;
    },
    ...extra,
  });
  sink = pcapngFileSink(file, { iface: lab.live.iface, filter: lab.live.filter });
  await lab.source.start(sink);
  const ok = await lab.run();
  await lab.stop();
  await sink.finished;
  return { ok, events };
}
