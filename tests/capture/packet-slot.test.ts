// Readers hand plain packets to a sink's `packetAt` in a reused slot instead of a CapturePacket
// each (the index pass's hot path). The packets must be the same either way: same fields, same
// bytes, same order, with packets that carry more (comments, flags, drops, no timestamp) still
// coming as objects. Checked on every capture in the fixtures and the tcpdump corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../shared/capture/reader';
import { slotPacket, type CapturePacket } from '../../shared/capture/types';
import { capturesUnder, corpusDir, repoRoot } from '../support/captures';

function read(
  bytes: Uint8Array,
  slots: boolean,
): { packets: CapturePacket[]; bySlot: number; error: string } {
  const packets: CapturePacket[] = [];
  let bySlot = 0;
  const reader = createReader({
    packet: (p) => void packets.push({ ...p, data: p.data.slice() }),
    ...(slots
      ? {
          packetAt: (s) => {
            bySlot++;
            const p = slotPacket(s);
            packets.push({ ...p, data: p.data.slice() });
          },
        }
      : {}),
  });
  let error = '';
  try {
    // Odd-sized pieces, so that packets straddle the reader's chunks.
    for (let at = 0; at < bytes.length; at += 65_521) reader.push(bytes.subarray(at, at + 65_521));
    reader.end();
  } catch (e) {
    error = (e as Error).message;
  }
  return { packets, bySlot, error };
}

describe('packets handed over in slots', () => {
  const files = [...capturesUnder(join(repoRoot, 'tests/fixtures')), ...capturesUnder(corpusDir)];
  let slotted = 0;
  for (const file of files) {
    it(file.slice(file.lastIndexOf('/', file.lastIndexOf('/') - 1) + 1), () => {
      const bytes = new Uint8Array(readFileSync(file));
      const objects = read(bytes, false);
      const viaSlots = read(bytes, true);
      expect(viaSlots.error).toBe(objects.error);
      expect(viaSlots.packets).toEqual(objects.packets);
      slotted += viaSlots.bySlot;
    });
  }
  it('takes most packets through the slot', () => {
    expect(slotted).toBeGreaterThan(5_000);
  });
});
