// Every file of tcpdump's regression corpus (many deliberately malformed) through our reader: a
// capture yields packets that agree with tshark frame by frame, or a CaptureError naming an
// offset; a file that is not a capture (the .out texts, the README) is refused with a
// CaptureError. Nothing else may be thrown, and nothing may hang (the test timeout guards it).
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../shared/capture/types';
import { tsharkMissing } from '../support/tshark';
import { ourRows, readOurs, repoRoot, tsharkRows } from './oracle';

const corpus = resolve(repoRoot, '../shared/corpus/tcpdump');
const present = existsSync(corpus);
const all = present ? readdirSync(corpus).sort() : [];
const captures = all.filter((f) => /\.pcap(ng)?$/.test(f));
const others = all.filter((f) => !/\.pcap(ng)?$/.test(f));

/**
 * Where we differ from tshark 4.0 on purpose. Record fractions of a second or more (tcpdump's
 * "(invalid us)" tests) are carried into the seconds; tshark prints them unnormalised, and the
 * one that overflows 31 bits as a negative time. Our times for those packets, by hand:
 * 1418145370 s + 1000000 µs = 1418145371.0; + 2147483648 µs = 1418147517.483648; in
 * nanoseconds + 2147483648 ns = 1418145372.147483648.
 */
const DEPARTURES: Record<string, Record<number, string>> = {
  'timestamp_invalid_micro.pcap': { 2: '1418145371.000000000', 3: '1418147517.483648000' },
  'timestamp_invalid_nano.pcap': { 2: '1418145371.000000000', 3: '1418145372.147483648' },
};

describe.skipIf(!present)(
  `tcpdump corpus${present ? '' : ` (skipped: ${corpus} not found; CI has it at ../shared next to the clone)`}`,
  () => {
    it('is there', () => {
      expect(captures.length).toBeGreaterThan(100);
      expect(captures.some((f) => f.endsWith('.pcapng'))).toBe(true);
    });

    describe('capture files', () => {
      it.each(captures)('%s: packets, or a CaptureError naming the offset', (f) => {
        const run = readOurs(resolve(corpus, f));
        if (run.error) {
          expect(run.error).toBeInstanceOf(CaptureError);
          expect(run.error.message).toMatch(/offset \d+/);
          expect(run.error.message.startsWith(resolve(corpus, f) + ': ')).toBe(true);
        }
        for (const w of run.warnings) expect(w.message).toMatch(/offset \d+/);
        for (const p of run.packets) {
          expect(p.data.length).toBe(p.caplen);
          expect(p.tsNsec).toBeGreaterThanOrEqual(0);
          expect(p.tsNsec).toBeLessThan(1e9);
        }
      });
    });

    describe.skipIf(!!tsharkMissing)(
      `same frames as tshark${tsharkMissing ? ` (${tsharkMissing})` : ''}`,
      () => {
        it.each(captures)('%s', (f) => {
          const file = resolve(corpus, f);
          const ours = readOurs(file);
          const theirs = tsharkRows(file);
          const times = DEPARTURES[f];
          if (times) {
            const rows = ourRows(ours);
            for (const [n, t] of Object.entries(times)) {
              expect(rows[Number(n) - 1][1]).toBe(t);
              expect(theirs.rows[Number(n) - 1][1]).not.toBe(t);
              rows[Number(n) - 1][1] = theirs.rows[Number(n) - 1][1];
            }
            expect(rows).toEqual(theirs.rows);
          } else if (!theirs.problem) {
            expect(ours.error).toBeNull();
            expect(ourRows(ours)).toEqual(theirs.rows);
          } else {
            // tshark gave up part way: everything it printed must be ours too, in the same order.
            expect(ourRows(ours).slice(0, theirs.rows.length)).toEqual(theirs.rows);
          }
        });
      },
    );

    describe('files that are not captures', () => {
      it.each(others)('%s is refused with a CaptureError at offset 0', (f) => {
        const run = readOurs(resolve(corpus, f));
        expect(run.packets).toEqual([]);
        expect(run.error).toBeInstanceOf(CaptureError);
        expect((run.error as CaptureError).offset).toBe(0);
        expect(run.error!.message).toMatch(/: (not a capture file: unknown magic|empty file)/);
      });
    });
  },
);
