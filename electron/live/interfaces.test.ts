// Interface listings as the helpers print them: texts captured from dumpcap 4.0 and tcpdump 4.99
// (Debian 12), and the helpers on this machine run for real.
import { describe, expect, it } from 'vitest';
import { locateHelper, runHelper } from './capture-helper';
import { defaultInterface, interfaceLabel, parseDumpcapList, parseTcpdumpList } from './interfaces';

const DUMPCAP_M = [
  '1. eth0\t\t\t0\t192.0.2.2,fd00::2,fe80::fc:ff:fe00:1\tnetwork\t',
  '2. any\t\t\t0\t\tnetwork\t',
  '3. lo\t\tLoopback\t0\t127.0.0.1,::1\tloopback\t',
  '4. ifb0\t\t\t0\t\tnetwork\t',
  '6. bluetooth-monitor\t\t\t4\t\tnetwork\t',
  '7. nflog\t\t\t0\t\tnetwork\t',
  '',
].join('\n');

const TCPDUMP = [
  '1.eth0 [Up, Running, Connected]',
  '2.any (Pseudo-device that captures on all interfaces) [Up, Running]',
  '3.lo [Up, Running, Loopback]',
  '4.ifb0 [none]',
  '6.bluetooth-monitor (Bluetooth Linux Monitor) [Wireless]',
  '7.nflog (Linux netfilter log (NFLOG) interface) [none]',
  '',
].join('\n');

describe('parsing', () => {
  it('dumpcap -D -M: names, friendly names, addresses, loopback', () => {
    const l = parseDumpcapList(DUMPCAP_M);
    expect(l.map((i) => i.name)).toEqual(['eth0', 'any', 'lo', 'ifb0', 'bluetooth-monitor', 'nflog']);
    expect(l[2]).toEqual({
      name: 'lo',
      description: 'Loopback',
      loopback: true,
      addresses: ['127.0.0.1', '::1'],
    });
    expect(l[0]).toMatchObject({
      loopback: false,
      addresses: ['192.0.2.2', 'fd00::2', 'fe80::fc:ff:fe00:1'],
    });
  });

  it('tcpdump -D: descriptions in parentheses (nested ones too) and the flags', () => {
    const l = parseTcpdumpList(TCPDUMP);
    expect(l.map((i) => i.name)).toEqual(['eth0', 'any', 'lo', 'ifb0', 'bluetooth-monitor', 'nflog']);
    expect(l[2]).toMatchObject({ name: 'lo', description: '', loopback: true, up: true });
    expect(l[3]).toMatchObject({ up: false, loopback: false });
    expect(l[5].description).toBe('Linux netfilter log (NFLOG) interface');
    // libpcap before 1.9 prints no flags.
    expect(parseTcpdumpList('1.en0\n2.lo0\n')).toEqual([
      { name: 'en0', description: '', loopback: false, addresses: [] },
      { name: 'lo0', description: '', loopback: true, addresses: [] },
    ]);
  });

  it('the default, as tshark picks it: first real interface that is up, not loopback, not a pseudo-device', () => {
    expect(defaultInterface(parseDumpcapList(DUMPCAP_M))?.name).toBe('eth0');
    expect(defaultInterface(parseTcpdumpList(TCPDUMP))?.name).toBe('eth0');
    // Nothing up but the loopback: the loopback.
    expect(
      defaultInterface(
        parseTcpdumpList('1.eth0 [none]\n2.any (x) [Up, Running]\n3.lo [Up, Running, Loopback]\n'),
      )?.name,
    ).toBe('lo');
    expect(defaultInterface([])).toBeNull();
  });

  it('labels as Wireshark shows them', () => {
    const l = parseDumpcapList(DUMPCAP_M);
    expect(interfaceLabel('lo', l)).toBe('Loopback: lo');
    expect(interfaceLabel('eth0', l)).toBe('eth0');
    expect(interfaceLabel('nosuch', l)).toBe('nosuch');
  });
});

describe('the helpers here', () => {
  for (const [name, args, parse] of [
    ['dumpcap', ['-D', '-M'], parseDumpcapList],
    ['tcpdump', ['-D'], parseTcpdumpList],
  ] as const) {
    const path = locateHelper(name);
    it.skipIf(!path)(
      `${name} ${args.join(' ')} lists lo as the loopback${path ? '' : ` (skipped: ${name} is not installed)`}`,
      async () => {
        const r = await runHelper(path!, args);
        expect(r.code).toBe(0);
        const list = parse(r.stdout);
        expect(list.length).toBe(r.stdout.trim().split('\n').length);
        expect(list.find((i) => i.name === 'lo')).toMatchObject({ loopback: true });
      },
    );
  }
});
