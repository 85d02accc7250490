// Interfaces as the capture helpers list them (`dumpcap -D -M`, `tcpdump -D`), parsed into the
// contract's LiveInterface plus what choosing a default needs (up, addresses).
import type { LiveInterface } from '../../shared/contract/api';

export interface HelperInterface extends LiveInterface {
  /** Up and running, when the helper says (tcpdump's flags); undefined when it does not. */
  up?: boolean;
  /** Addresses the helper lists (dumpcap -M). */
  addresses: string[];
}

/**
 * `dumpcap -D -M`: one interface a line, `N. name\tvendor\tfriendly\ttype\taddresses\tloopback|network\t…`
 * (Wireshark's capture_opts machine-readable listing).
 */
export function parseDumpcapList(text: string): HelperInterface[] {
  const out: HelperInterface[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\d+\.\s(.*)$/.exec(line);
    if (!m) continue;
    const f = m[1].split('\t');
    const name = f[0];
    if (!name) continue;
    const vendor = f[1] ?? '';
    const friendly = f[2] ?? '';
    const addresses = (f[4] ?? '').split(',').filter(Boolean);
    out.push({
      name,
      description: friendly || vendor,
      loopback: f[5] === 'loopback',
      addresses,
    });
  }
  return out;
}

/** `tcpdump -D`: `N.name (description) [Up, Running, Loopback]` (libpcap's flags; older ones have none). */
export function parseTcpdumpList(text: string): HelperInterface[] {
  const out: HelperInterface[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\d+\.(\S+)(?: \((.*?)\))?(?: \[([^\]]*)\])?\s*$/.exec(line);
    if (!m) continue;
    const flags = m[3] === undefined ? null : m[3].split(',').map((s) => s.trim());
    out.push({
      name: m[1],
      description: m[2] ?? '',
      loopback: flags ? flags.includes('Loopback') : /^lo\d*$/.test(m[1]),
      ...(flags ? { up: flags.includes('Up') && flags.includes('Running') } : {}),
      addresses: [],
    });
  }
  return out;
}

/**
 * Pseudo-devices libpcap lists beside real interfaces: never a default (tshark would pick the
 * first real, up, non-loopback one).
 */
const PSEUDO =
  /^(any|nflog|nfqueue|dbus-(system|session)|bluetooth(-monitor)?\d*|usbmon\d*|ciscodump|randpkt|sshdump|udpdump|wifidump|etwdump)$/;

/**
 * The interface to capture on when none is given, as tshark chooses: the first non-loopback
 * interface that is up (tcpdump's flags, else having an address), else the loopback, else the first.
 */
export function defaultInterface(list: readonly HelperInterface[]): HelperInterface | null {
  const real = list.filter((i) => !i.loopback && !PSEUDO.test(i.name));
  const up = real.find((i) => (i.up === undefined ? i.addresses.length > 0 : i.up));
  return up ?? list.find((i) => i.loopback) ?? list[0] ?? null;
}

/** What the views call an interface: Wireshark's "Loopback: lo", or the bare name. */
export function interfaceLabel(name: string, list: readonly LiveInterface[]): string {
  const d = list.find((i) => i.name === name)?.description;
  return d ? `${d}: ${name}` : name;
}
