// The built CLI against tshark on real captures: `list` against `tshark -r`, `fields` against
// `tshark -T fields`, `info` packet and stream counts against `-z conv,tcp` / `-z conv,udp`.
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tsharkMissing } from '../support/tshark';
import { knownValueDifference } from '../tshark/known-differences';
import {
  buildCli,
  captureFiles,
  cliFixtures,
  disabledFor,
  lineDiff,
  lines,
  runCli,
  tshark,
} from './cli-support';

const files = captureFiles();

/**
 * Our `fields` lines with every cell that differs from tshark's only where known-differences.ts
 * lists it (file, frame, field) replaced by tshark's cell, so those lines compare equal and any
 * other difference still shows. Rows are matched by line (header first, then one per frame).
 */
function excuseKnownCells(file: string, ours: string[], theirs: string[]): string[] {
  const header = (ours[0] ?? '').split('\t');
  return ours.map((line, i) => {
    const t = theirs[i];
    if (i === 0 || t === undefined || line === t) return line;
    const o = line.split('\t');
    const c = t.split('\t');
    if (o.length !== c.length) return line;
    const frame = Number(o[0]);
    return o
      .map((cell, j) => (cell !== c[j] && knownValueDifference(file, frame, header[j]) ? c[j] : cell))
      .join('\t');
  });
}

/**
 * Our `list` lines with the Info of a line replaced by tshark's where known-differences.ts lists
 * `_ws.col.Info` for that frame, and — single pass only — where both say the segment is part of
 * a reassembled PDU. tshark's single pass lets the application dissector write its first line
 * (`HTTP/1.0 200 OK `) into Info before TCP learns that the PDU needs more segments; its second
 * pass, like Wirescope's every pass, keeps TCP's own Info. The `list -2` test holds us to that.
 */
function excuseKnownLines(file: string, ours: string[], theirs: string[], singlePass: boolean): string[] {
  const NOTE = ' [TCP segment of a reassembled PDU]';
  return ours.map((line, i) => {
    const t = theirs[i];
    if (t === undefined || line === t) return line;
    const frame = Number(line.trim().split(/\s+/)[0]);
    if (knownValueDifference(file, frame, '_ws.col.Info')) return t;
    // Number, time, source, arrow, destination, protocol, length: everything before Info.
    const head = (l: string) => l.trim().split(/\s+/).slice(0, 7).join(' ');
    if (singlePass && line.endsWith(NOTE) && t.endsWith(NOTE) && head(line) === head(t)) return t;
    return line;
  });
}

describe.skipIf(!!tsharkMissing)('wirescope vs tshark', () => {
  beforeAll(() => {
    buildCli();
  });

  it.each(files.map((f) => [basename(f), f]))('list %s prints what tshark -r prints', (_name, file) => {
    const ours = runCli(['list', file]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    const theirs = lines(tshark(['-r', file, ...disabledFor(file)]));
    const diff = lineDiff(excuseKnownLines(basename(file), lines(ours.stdout), theirs, true), theirs);
    expect(diff, diff).toBe('');
  });

  it.each(files.map((f) => [basename(f), f]))('list -2 %s prints what tshark -2 -r prints', (_name, file) => {
    const ours = runCli(['list', '-2', file]);
    expect(ours.status).toBe(0);
    const theirs = lines(tshark(['-2', '-r', file, ...disabledFor(file)]));
    const diff = lineDiff(excuseKnownLines(basename(file), lines(ours.stdout), theirs, false), theirs);
    expect(diff, diff).toBe('');
  });

  const FIELDS = [
    'frame.number',
    'frame.len',
    'frame.cap_len',
    'frame.time_relative',
    'frame.time_delta',
    'frame.protocols',
    'eth.src',
    'ip.src',
    'ip.dst',
    'ip.len',
    'ipv6.src',
    'tcp.srcport',
    'tcp.dstport',
    'tcp.stream',
    'tcp.len',
    'tcp.flags',
    'udp.srcport',
    'udp.stream',
    'icmp.type',
  ];

  it.each(files.map((f) => [basename(f), f]))('fields %s gives tshark -T fields cells', (_name, file) => {
    const ours = runCli(['fields', file, '-E', 'header=y', ...FIELDS.flatMap((f) => ['-e', f])]);
    expect(ours.stderr).toBe('');
    expect(ours.status).toBe(0);
    const theirs = lines(
      tshark([
        '-r',
        file,
        ...disabledFor(file),
        '-T',
        'fields',
        '-E',
        'header=y',
        '-E',
        'occurrence=a',
        '-E',
        'aggregator=,',
        ...FIELDS.flatMap((f) => ['-e', f]),
      ]),
    );
    const diff = lineDiff(excuseKnownCells(basename(file), lines(ours.stdout), theirs), theirs);
    expect(diff, diff).toBe('');
  });

  it.each(files.map((f) => [basename(f), f]))(
    'info %s counts packets, TCP streams and UDP conversations as tshark',
    (_name, file) => {
      const ours = runCli(['info', '--json', file]);
      expect(ours.status).toBe(0);
      const j = JSON.parse(ours.stdout) as { packets: number; tcpStreams: number; udpConversations: number };
      const count = lines(tshark(['-r', file, '-T', 'fields', '-e', 'frame.number'])).length;
      const conv = (kind: string) =>
        lines(tshark(['-r', file, '-q', '-z', `conv,${kind}`])).filter((l) => l.includes('<->')).length;
      // TCP streams as Wireshark numbers them: the distinct tcp.stream values. `-z conv,tcp` agrees
      // except where every header of a stream is cut short by the snaplen: its tap never runs then,
      // so it lists no conversation although tshark still numbers the stream (lo-snap64.pcap).
      const tcpStreams = new Set(
        lines(tshark(['-r', file, '-T', 'fields', '-e', 'tcp.stream'])).filter((l) => l !== ''),
      ).size;
      if (!basename(file).includes('snap')) expect(tcpStreams).toBe(conv('tcp'));
      expect({ packets: j.packets, tcpStreams: j.tcpStreams, udpConversations: j.udpConversations }).toEqual({
        packets: count,
        tcpStreams,
        udpConversations: conv('udp'),
      });
    },
  );

  it('decode-as (-d) changes dissection as tshark -d does', () => {
    const file = join(cliFixtures, 'web.pcap');
    const args = ['-d', 'udp.port==45872,ip', '-e', 'frame.number', '-e', 'ip.version'];
    const ours = runCli(['fields', file, ...args]);
    expect(ours.status).toBe(0);
    const theirs = tshark(['-r', file, '-T', 'fields', ...args]);
    expect(ours.stdout).toBe(theirs);
    // The payload really was decoded as IP: two ip.version occurrences on the UDP datagrams.
    expect(ours.stdout).toMatch(/^25\t4,7$/m);
  });

  it('-c stops after N packets, as tshark -c', () => {
    const file = join(cliFixtures, 'web.pcapng');
    const ours = runCli(['list', '-c', '5', file]);
    expect(ours.status).toBe(0);
    expect(lines(ours.stdout)).toEqual(lines(tshark(['-c', '5', '-r', file, ...disabledFor(file)])));
  });
});
