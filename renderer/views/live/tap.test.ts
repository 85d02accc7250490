// Which frames the tap made, on the samples the labs made from real traffic: every packet of the
// tap's capture carries its comment, no packet of the dumpcap capture does.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dissectFile } from '../../../tests/support/dissect-file';
import { isTapCapture, isTapDissection } from './tap';

const samples = join(resolve(import.meta.dirname, '../../..'), 'resources/samples');
const tapSample = join(samples, 'websocket-lab-tap.pcapng');
const wireSample = join(samples, 'websocket-lab.pcapng');
const missing =
  existsSync(tapSample) && existsSync(wireSample) ? '' : '(skipped: resources/samples not made yet)';

describe.skipIf(!!missing)(`tap frames ${missing}`, () => {
  it('finds the tap comment on every packet the tap wrote', () => {
    const { frames } = dissectFile(tapSample);
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.every(isTapDissection)).toBe(true);
  });

  it('finds none on packets dumpcap captured', () => {
    const { frames } = dissectFile(wireSample);
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.some(isTapDissection)).toBe(false);
  });
});

describe('tap captures', () => {
  it('are the tap’s live captures, or any capture a tap packet was seen in', () => {
    const base = { id: 'c', name: 'x', size: 0, origin: 'live' as const };
    expect(isTapCapture({ ...base, live: { mode: 'tap', iface: 'tap', filter: '' } }, false)).toBe(true);
    expect(isTapCapture({ ...base, live: { mode: 'capture', iface: 'lo', filter: '' } }, false)).toBe(false);
    expect(isTapCapture({ ...base, origin: 'sample' }, true)).toBe(true);
    expect(isTapCapture(undefined, false)).toBe(false);
  });
});
