// `wirescope export` on real captures: the output re-opened with the project's reader and engine
// and with tshark must hold exactly the selected frames of the original (bytes, lengths,
// timestamps to the tick, comments, link types, protocols).
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from '../../shared/capture/testing-collect';
import type { CapturePacket } from '../../shared/capture/types';
import { runCli, repoRoot } from '../cli/cli-support';
import { dissectFile } from '../support/dissect-file';
import { tsharkFields, tsharkMissing } from '../support/tshark';

const captures = join(repoRoot, 'tests/fixtures/captures');
const http = join(repoRoot, 'tests/fixtures/http');
const work = mkdtempSync(join(tmpdir(), 'wirescope-export-'));
let n = 0;

function exportTo(args: string[]): string {
  const out = join(work, `out-${n++}.pcapng`);
  const r = runCli(['export', ...args, '-w', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.comment',
  'frame.len',
  'frame.cap_len',
  'frame.interface_name',
  'frame.protocols',
];

/**
 * tshark's rows of the original's selected frames, renumbered as the export numbers them. Two
 * tshark-isms in frame.interface_name: a pcap has no interface names ("") while a pcapng IDB
 * without if_name shows "unknown"; and tshark 4.0 names a later section's interface after the
 * first section's interface of the same id (multi-section.pcapng's second section is "lo", tshark
 * says "any"), so for multi-section sources the names are checked with our reader instead.
 */
function expected(file: string, filter?: string): string[][] {
  const rows = tsharkFields(file, FIELDS, filter ? ['-Y', filter] : []);
  const pcap = file.endsWith('.pcap');
  return rows.map((r, k) => [String(k + 1), ...r.slice(1, 5), pcap && r[5] === '' ? 'unknown' : r[5], r[6]]);
}

function expectedRows(file: string, multiSection: boolean): string[][] {
  return expected(file).map((r) => (multiSection ? [...r.slice(0, 5), '', r[6]] : r));
}

function tsharkRows(file: string, multiSection: boolean): string[][] {
  return tsharkFields(file, FIELDS).map((r) => (multiSection ? [...r.slice(0, 5), '', r[6]] : r));
}

/** Each packet's interface name as our reader sees it. */
function interfaceNames(file: string): (string | undefined)[] {
  const c = collect(new Uint8Array(readFileSync(file)));
  const names = new Map(c.ifaces.map((i) => [`${i.section}:${i.id}`, i.name]));
  return c.packets.map((p) => names.get(`${p.section ?? 0}:${p.ifid}`));
}

/** The original's packets chosen by 0-based index, as our reader reports them. */
function packetView(ps: CapturePacket[]) {
  return ps.map((p) => ({
    ts: [p.tsSec, p.tsNsec],
    len: [p.caplen, p.origlen],
    linktype: p.linktype,
    comments: p.comments ?? null,
    data: Buffer.from(p.data).toString('hex'),
  }));
}

function readPackets(file: string): CapturePacket[] {
  const c = collect(new Uint8Array(readFileSync(file)));
  expect(c.error).toBeNull();
  return c.packets;
}

/** 0-based indexes of the frames tshark selects with `filter` in `file`. */
function tsharkIndexes(file: string, filter: string): number[] {
  return tsharkFields(file, ['frame.number'], ['-Y', filter]).map((r) => Number(r[0]) - 1);
}

const whole = [
  join(captures, 'comments.pcapng'),
  join(captures, 'lo-any-udp.pcapng'),
  join(captures, 'multi-section.pcapng'),
  join(captures, 'multi-section-be.pcapng'),
  join(captures, 'lo-http4.pcap'),
  join(captures, 'lo-tcp-chat-nano.pcap'),
  join(captures, 'lo-tcp-chat-nano-be.pcap'),
  join(captures, 'lo-snap64.pcap'),
  join(captures, 'linktype-raw.pcap'),
  join(http, 'http-basic.pcap'),
  join(http, 'http-websocket.pcap'),
];

describe('wirescope export: the whole capture', () => {
  it.each(whole)('%s: same packets through our reader and engine', (file) => {
    const out = exportTo([file]);
    const src = readPackets(file);
    const back = readPackets(out);
    expect(packetView(back)).toEqual(packetView(src));
    const a = dissectFile(file).frames.map((d) => d.protocols.join(':'));
    const b = dissectFile(out).frames.map((d) => d.protocols.join(':'));
    expect(b).toEqual(a);
    expect(interfaceNames(out)).toEqual(interfaceNames(file));
  });

  it.skipIf(!!tsharkMissing)('tshark reads the same frames', () => {
    for (const file of whole) {
      const out = exportTo([file]);
      const multi = file.includes('multi-section');
      expect(tsharkRows(out, multi), file).toEqual(expectedRows(file, multi));
    }
  });
});

describe('wirescope export: streams and filters', () => {
  const mixed = join(captures, 'lo-mixed.pcap');
  const cases: { file: string; args: string[]; filter: string }[] = [
    { file: mixed, args: ['--stream', 'tcp:1'], filter: 'tcp.stream == 1' },
    {
      file: mixed,
      args: ['--stream', 'udp:0', '--stream', 'tcp:0'],
      filter: 'udp.stream == 0 || tcp.stream == 0',
    },
    { file: join(http, 'http-pipeline.pcap'), args: ['--stream', 'tcp:0'], filter: 'tcp.stream == 0' },
    { file: join(captures, 'lo-any-udp.pcapng'), args: ['--stream', 'udp:0'], filter: 'udp.stream == 0' },
    { file: join(captures, 'comments.pcapng'), args: ['-Y', 'frame.comment'], filter: 'frame.comment' },
    {
      file: join(http, 'http-basic.pcap'),
      args: ['-Y', 'tcp.flags.syn == 1'],
      filter: 'tcp.flags.syn == 1',
    },
  ];

  it.skipIf(!!tsharkMissing).each(cases)(
    '$args on $file matches tshark -Y "$filter"',
    ({ file, args, filter }) => {
      const out = exportTo([file, ...args]);
      const want = tsharkIndexes(file, filter);
      expect(want.length).toBeGreaterThan(0);
      const src = readPackets(file);
      expect(packetView(readPackets(out))).toEqual(packetView(want.map((i) => src[i])));
      expect(tsharkFields(out, FIELDS)).toEqual(expected(file, filter));
    },
  );

  it('a stream the capture does not have is an error naming the count; nothing is written', () => {
    const out = join(work, 'none.pcapng');
    const r = runCli(['export', mixed, '--stream', 'tcp:7', '-w', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/there is no TCP stream 7: the capture has 2 TCP streams \(0–1\)/);
  });

  it('usage errors: no -w, a bad --stream, writing over the input', () => {
    expect(runCli(['export', mixed]).stderr).toMatch(/give the output file with -w/);
    const bad = runCli(['export', mixed, '-w', join(work, 'x.pcapng'), '--stream', 'sctp:1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--stream "sctp:1": expected tcp:N or udp:N/);
    const self = runCli(['export', mixed, '-w', mixed]);
    expect(self.status).toBe(2);
    expect(self.stderr).toMatch(/is the capture being read/);
  });

  it('a capture cut inside its last record: the whole packets are written and the cut is a warning', () => {
    const full = readFileSync(join(captures, 'lo-http4.pcap'));
    const cut = join(work, 'cut.pcap');
    writeFileSync(cut, full.subarray(0, full.length - 10));
    const out = join(work, 'cut-out.pcapng');
    const r = runCli(['export', cut, '-w', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^wirescope: warning: .*cut\.pcap/);
    const src = readPackets(join(captures, 'lo-http4.pcap'));
    expect(packetView(readPackets(out))).toEqual(packetView(src.slice(0, -1)));
  });

  it('a filter that selects nothing writes a valid capture without packets and says so', () => {
    const out = join(work, 'empty.pcapng');
    const r = runCli(['export', mixed, '-Y', 'dns', '-w', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no frame selected; .*empty\.pcapng holds no packets/);
    expect(readPackets(out)).toEqual([]);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(work).filter((f) => f.includes('.part-'))).toEqual([]);
  });

  it.skipIf(!!tsharkMissing)('keeps the section comment (capinfos reads it back)', () => {
    const out = exportTo([join(captures, 'comments.pcapng')]);
    const info = execFileSync('capinfos', [out], { encoding: 'utf8' });
    expect(info).toMatch(/Capture comment: +section comment added by editcap/);
  });
});
