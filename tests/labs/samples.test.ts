// The shipped samples (resources/samples, remade by scripts/make-samples.mjs): every file listed
// is there, reads cleanly with our engine and with tshark, and shows what its description says.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTapComment } from '../../shared/capture/tap-comment';
import { readSamples } from '../../electron/backend/lab-handlers';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';

const folder = resolve(import.meta.dirname, '../../resources/samples');
const samples = readSamples(folder);

describe('shipped lab samples', () => {
  it('index.json lists the three lab captures', () => {
    expect(samples.map((s) => s.name)).toEqual([
      'websocket-lab.pcapng',
      'websocket-lab-tap.pcapng',
      'tcp-vs-udp.pcapng',
    ]);
  });

  for (const s of samples) {
    it(`${s.name}: our engine reads it without warnings${tsharkMissing ? '' : ', tshark agrees on the frame count'}`, () => {
      const file = join(folder, s.name);
      const { frames, warnings } = dissectFile(file);
      expect(warnings).toEqual([]);
      expect(frames.length).toBeGreaterThan(10);
      if (tsharkMissing) return;
      const rows = tsharkFields(file, [
        'websocket.opcode',
        'websocket.payload.close.status_code',
        'http.response.code',
        'frame.comment',
        'udp.srcport',
        'tcp.flags.syn',
      ]);
      expect(rows.length).toBe(frames.length);
      if (s.name.startsWith('websocket')) {
        expect(rows.some((r) => r[2] === '101')).toBe(true);
        expect(rows.map((r) => r[1]).filter(Boolean)).toEqual(['1000', '1000']);
      } else {
        expect(rows.some((r) => r[4])).toBe(true);
        expect(rows.filter((r) => r[5] === '1').length).toBe(2);
      }
      if (s.name.includes('-tap')) expect(rows.every((r) => isTapComment(r[3]))).toBe(true);
    });
  }
});
