// `list -Y` and `fields -Y` print exactly the lines tshark prints with the same display filter,
// and a bad filter is a usage error (exit 2) that shows where it is wrong.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tsharkMissing } from '../support/tshark';
import { lineDiff, lines, runCli, tshark } from './cli-support';

const FX = join(__dirname, '..', 'fixtures');
const CASES: [string, string][] = [
  ['captures/lo-http4.pcap', 'tcp.flags.syn == 1'],
  ['captures/lo-http4.pcap', 'tcp.len > 0 and tcp.dstport == 8080'],
  ['captures/lo-http6.pcapng', 'ipv6.addr == ::1 && tcp.flags.fin == 1'],
  ['dns/dns-udp.pcap', 'dns.flags.response == 1 and dns.qry.name contains "example"'],
  ['captures/tcp-analysis-edited.pcap', 'tcp.analysis.flags'],
];

describe.skipIf(!!tsharkMissing)('wirescope -Y', () => {
  it.each(CASES)('list %s -Y %s prints what tshark -Y prints', (file, filter) => {
    const path = join(FX, file);
    const ours = runCli(['list', path, '-Y', filter, '-2']);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    const theirs = lines(tshark(['-r', path, '-2', '-Y', filter]));
    expect(theirs.length).toBeGreaterThan(0);
    const diff = lineDiff(lines(ours.stdout), theirs);
    expect(diff, diff).toBe('');
  });

  it.each(CASES)('fields %s -Y %s prints what tshark -T fields -Y prints', (file, filter) => {
    const path = join(FX, file);
    const fields = ['frame.number', 'ip.src', 'tcp.srcport', 'frame.len'];
    const ours = runCli(['fields', path, '-Y', filter, ...fields.flatMap((f) => ['-e', f])]);
    expect(ours.status).toBe(0);
    const theirs = lines(
      tshark(['-r', path, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]),
    );
    expect(lineDiff(lines(ours.stdout), theirs)).toBe('');
  });
});

describe('wirescope -Y errors', () => {
  it('names the unknown field, suggests a close one, and points at it; exit 2', () => {
    const r = runCli(['list', join(FX, 'captures/lo-http4.pcap'), '-Y', 'tcp.flgs.syn == 1']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '"tcp.flgs.syn" is not a valid protocol or protocol field. Did you mean "tcp.flags.syn"?',
    );
    expect(r.stderr).toContain('    tcp.flgs.syn == 1\n    ^^^^^^^^^^^^');
  });
});
