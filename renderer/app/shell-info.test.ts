import { describe, expect, it } from 'vitest';
import { detectShell } from './shell-info';

describe('detectShell', () => {
  it('reads the bridge the preload exposes', () => {
    const scope = { wirescope: { shell: 'electron', versions: { electron: '45.4.1', chrome: '142.0.1' } } };
    expect(detectShell(scope)).toEqual({ kind: 'electron', electron: '45.4.1', chrome: '142.0.1' });
  });

  it('is a browser without a bridge or with anything that is not the bridge', () => {
    for (const wirescope of [
      undefined,
      null,
      'electron',
      {},
      { shell: 'web', versions: {} },
      { shell: 'electron' },
    ]) {
      expect(detectShell({ wirescope })).toEqual({ kind: 'browser' });
    }
    expect(detectShell({})).toEqual({ kind: 'browser' });
  });

  it('never trusts the version values', () => {
    expect(
      detectShell({ wirescope: { shell: 'electron', versions: { electron: 45, chrome: { x: 1 } } } }),
    ).toEqual({
      kind: 'electron',
      electron: '',
      chrome: '',
    });
  });
});
