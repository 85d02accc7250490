// `wirescope diagram`: options, errors, and the Mermaid it prints for a real capture.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiagramArgs } from '../../electron/cli/diagram';
import { UsageError } from '../../electron/cli/args';
import { run, type Io } from '../../electron/cli/run';

const fx = join(import.meta.dirname, '../fixtures');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    out: { write: (s: string) => ((out += s), true) },
    err: { write: (s: string) => ((err += s), true) },
  } as unknown as Io;
  const code = await run(args, io);
  return { code, out, err };
}

describe('wirescope diagram', () => {
  it('reads its options', () => {
    expect(
      parseDiagramArgs([
        'a.pcap',
        '--stream',
        'tcp:1',
        '--stream=udp:0',
        '--level',
        'both',
        '--spacing',
        'even',
        '--lifelines',
        'host',
        '--format',
        'svg',
      ]),
    ).toEqual({
      file: 'a.pcap',
      streams: [
        { proto: 'tcp', stream: 1 },
        { proto: 'udp', stream: 0 },
      ],
      level: 'both',
      spacing: 'even',
      lifelines: 'host',
      format: 'svg',
      decodeAs: [],
    });
    expect(() => parseDiagramArgs(['a.pcap', '--stream', 'tcp'])).toThrow(UsageError);
    expect(() => parseDiagramArgs(['a.pcap', '--format', 'png'])).toThrow(/expected mermaid or svg/);
    expect(() => parseDiagramArgs([])).toThrow(/no capture file/);
  });

  it('prints the Mermaid text of a conversation; names a stream that is not there', async () => {
    const ok = await cli(['diagram', join(fx, 'dns/dns-udp.pcap'), '--stream', 'udp:0']);
    expect(ok).toEqual({
      code: 0,
      err: '',
      out: [
        'sequenceDiagram',
        '    participant P1 as Client 127.0.0.1:52670',
        '    participant P2 as Resolver 127.0.0.1:53',
        '    P1->>P2: DNS query A example.com',
        '    P2->>P1: DNS response A example.com → 192.0.2.10',
        '',
      ].join('\n'),
    });
    const missing = await cli(['diagram', join(fx, 'dns/dns-udp.pcap'), '--stream', 'tcp:3']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/there is no TCP stream 3: the capture has 0 TCP streams/);
    const svg = await cli(['diagram', join(fx, 'dns/dns-udp.pcap'), '--stream', 'udp:0', '--format', 'svg']);
    expect(svg.out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.out).toContain('DNS query A example.com');
  });
});
