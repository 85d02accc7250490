// `info`: what capinfos says about a file, plus what the index pass learns (truncated packets,
// packets malformed at link to transport layers, TCP streams, UDP conversations). Text for
// people, `--json` for programs.
import { linkTypeDescription, linkTypeName } from '../../shared/capture/linktypes';
import type { InterfaceInfo } from '../../shared/capture/types';
import { secondsText } from '../../shared/dissect/format';
import { precisionDigits, type CaptureSummary } from '../../shared/index/indexer';

export interface InterfaceJson {
  id: number;
  section: number;
  name: string | null;
  description: string | null;
  linktype: number;
  linktypeName: string;
  linktypeShort: string;
  snaplen: number;
  timePrecision: number;
  filter: string | null;
  os: string | null;
  packets: number;
}

export interface TimeJson {
  sec: number;
  nsec: number;
  text: string;
}

export interface InfoJson {
  file: string;
  fileSize: number;
  format: string;
  byteOrder: string;
  version: string;
  sections: number;
  /** Wireshark's wording (`Ethernet`) and libpcap's short name (`EN10MB`). */
  linkTypes: { linktype: number; name: string; short: string }[];
  interfaces: InterfaceJson[];
  packets: number;
  first: TimeJson | null;
  last: TimeJson | null;
  durationSeconds: string;
  dataBytes: number;
  wireBytes: number;
  truncatedPackets: number;
  /** Packets with a malformed layer among those the index pass dissects (link to transport). */
  malformedPackets: number;
  strictTimeOrder: boolean;
  sectionComments: string[];
  packetComments: number;
  hardware: string | null;
  os: string | null;
  application: string | null;
  tcpStreams: number;
  udpConversations: number;
  warnings: { offset: number; message: string }[];
}

/** `2026-11-24 06:58:27.866443123 UTC` (capinfos prints local time; we say UTC and mean it). */
export function dateText(sec: number, nsec: number, digits: number): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return `${secondsText(sec, nsec, digits)} (epoch seconds)`;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const frac = digits ? '.' + String(nsec).padStart(9, '0').slice(0, digits) : '';
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac} UTC`;
}

function fileDigits(s: CaptureSummary): number {
  let digits = s.info?.tsDigits ?? 0;
  for (const i of s.interfaces) digits = Math.max(digits, precisionDigits(i.tsPerSecond));
  return digits || 6;
}

export function infoJson(file: string, fileSize: number, s: CaptureSummary): InfoJson {
  const digits = fileDigits(s);
  const time = (sec: number, nsec: number): TimeJson => ({ sec, nsec, text: dateText(sec, nsec, digits) });
  const seen = new Set<number>();
  const linkTypes: InfoJson['linkTypes'] = [];
  for (const i of s.interfaces) {
    if (seen.has(i.linktype)) continue;
    seen.add(i.linktype);
    linkTypes.push({
      linktype: i.linktype,
      name: linkTypeDescription(i.linktype),
      short: linkTypeName(i.linktype),
    });
  }
  const info = s.info;
  return {
    file,
    fileSize,
    format: info?.format ?? 'unknown',
    byteOrder: info?.byteOrder ?? 'unknown',
    version: info?.version ?? '',
    sections: Math.max(s.sections.length, info?.sections ?? 0),
    linkTypes,
    interfaces: s.interfaces.map((i: InterfaceInfo, k) => ({
      id: i.id,
      section: i.section,
      name: i.name ?? null,
      description: i.description ?? null,
      linktype: i.linktype,
      linktypeName: linkTypeDescription(i.linktype),
      linktypeShort: linkTypeName(i.linktype),
      snaplen: i.snaplen,
      timePrecision: precisionDigits(i.tsPerSecond),
      filter: i.filter ?? null,
      os: i.os ?? null,
      packets: s.interfacePackets[k] ?? 0,
    })),
    packets: s.packets,
    first: s.packets ? time(s.firstSec, s.firstNsec) : null,
    last: s.packets ? time(s.lastSec, s.lastNsec) : null,
    durationSeconds: s.packets
      ? secondsText(s.lastSec - s.firstSec, s.lastNsec - s.firstNsec, digits)
      : secondsText(0, 0, digits),
    dataBytes: s.dataBytes,
    wireBytes: s.wireBytes,
    truncatedPackets: s.truncated,
    malformedPackets: s.malformed,
    strictTimeOrder: s.strictOrder,
    sectionComments: s.sections.flatMap((x) => x.sectionComments),
    packetComments: s.packetComments,
    hardware: info?.hardware ?? null,
    os: info?.os ?? null,
    application: info?.application ?? null,
    tcpStreams: s.tcpStreams,
    udpConversations: s.udpStreams,
    warnings: s.warnings.map((w) => ({ offset: w.offset, message: w.message })),
  };
}

const PRECISION_NAMES: Record<number, string> = {
  0: 'seconds',
  3: 'milliseconds',
  6: 'microseconds',
  9: 'nanoseconds',
};

function precisionText(digits: number): string {
  return `${PRECISION_NAMES[digits] ?? `10^-${digits} seconds`} (${digits})`;
}

export function infoText(j: InfoJson): string {
  const lines: string[] = [];
  const row = (name: string, value: string | number) => lines.push(`${(name + ':').padEnd(22)}${value}`);
  const more = (value: string) => lines.push(`${''.padEnd(22)}${value}`);
  row('File name', j.file);
  row(
    'File format',
    `${j.format}${j.version ? ` ${j.version}` : ''}, ${j.byteOrder}-endian${j.format === 'pcapng' ? `, ${j.sections} section${j.sections === 1 ? '' : 's'}` : ''}`,
  );
  row('File size', `${j.fileSize} bytes`);
  row('Link types', j.linkTypes.map((l) => `${l.name} (${l.linktype}, ${l.short})`).join(', ') || '(none)');
  row('Interfaces', j.interfaces.length);
  for (const [k, i] of j.interfaces.entries()) {
    const name = i.name ?? '(unnamed)';
    more(
      `#${k} ${name}${i.description ? ` (${i.description})` : ''}: ${i.linktypeName} (${i.linktype}, ${i.linktypeShort}), snaplen ${i.snaplen}, ${precisionText(i.timePrecision)}, ${i.packets} packet${i.packets === 1 ? '' : 's'}`,
    );
    if (i.filter) more(`    capture filter: ${i.filter}`);
    if (i.os) more(`    OS: ${i.os}`);
  }
  row('Packets', j.packets);
  row('First packet time', j.first?.text ?? 'n/a');
  row('Last packet time', j.last?.text ?? 'n/a');
  row('Capture duration', `${j.durationSeconds} seconds`);
  row('Data size', `${j.dataBytes} bytes`);
  if (j.wireBytes !== j.dataBytes) row('Size on the wire', `${j.wireBytes} bytes`);
  row('Truncated packets', j.truncatedPackets);
  // The index pass dissects link to transport layers: an application message cut short is not
  // counted here (`list` shows it).
  row('Malformed packets', `${j.malformedPackets} (link to transport layers)`);
  row('Strict time order', j.strictTimeOrder ? 'yes' : 'no');
  row('TCP streams', j.tcpStreams);
  row('UDP conversations', j.udpConversations);
  if (j.hardware) row('Capture hardware', j.hardware);
  if (j.os) row('Capture OS', j.os);
  if (j.application) row('Capture application', j.application);
  const indent = (text: string) => text.replace(/\r?\n/g, '\n' + ''.padEnd(22));
  if (j.sectionComments.length === 0) row('Capture comments', '(none)');
  for (const [k, c] of j.sectionComments.entries()) {
    if (k === 0) row('Capture comments', indent(c));
    else more(indent(c));
  }
  row('Packet comments', j.packetComments);
  for (const w of j.warnings) row('Warning', w.message);
  return lines.join('\n') + '\n';
}
