// The `stats` command end to end: usage errors are one line and exit 2; several -z in order; -Y
// restricts every statistic to the frames it selects.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../electron/cli/run';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c) => (o += c));
  err.on('data', (c) => (e += c));
  const code = await run(args, { out, err });
  return { code, out: o, err: e };
}

const F = 'tests/fixtures/captures/lo-mixed.pcap';

describe('wirescope stats', () => {
  it('rejects a bad -z with one line and exit 2', async () => {
    for (const z of ['conv,sctp', 'io,stat,', 'nonsense', 'io,phs,tcp.port ==']) {
      const r = await cli(['stats', F, '-z', z]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain('-z');
      expect(r.out).toBe('');
    }
    expect((await cli(['stats', F])).code).toBe(2);
    expect((await cli(['stats', '-z', 'io,phs'])).code).toBe(2);
  });

  it('prints several statistics in the order given', async () => {
    const r = await cli(['stats', F, '-z', 'conv,tcp', '-z', 'io,phs']);
    expect(r.code).toBe(0);
    expect(r.out.indexOf('TCP Conversations')).toBeLessThan(r.out.indexOf('Protocol Hierarchy Statistics'));
  });

  it('-Y prefilters every statistic', async () => {
    const r = await cli(['stats', F, '-Y', 'udp', '-z', 'io,phs']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('eth                                      frames:4 bytes:296');
    expect(r.out).not.toContain('tcp');
  });

  it('a missing file is exit 1 naming it', async () => {
    const r = await cli(['stats', 'no/such.pcap', '-z', 'io,phs']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no/such.pcap');
  });
});
