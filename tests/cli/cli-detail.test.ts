// `detail`: the tree with byte ranges and model places, as text and as JSON, checked for sense
// (every range inside its data source, children inside their parents' layer) and against tshark -V
// for the layer summary lines.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DetailJson, ItemJson } from '../../electron/cli/detail';
import { tsharkMissing } from '../support/tshark';
import { buildCli, cliFixtures, disabledFor, runCli, sharedFixtures, tshark } from './cli-support';

const web = join(cliFixtures, 'web.pcap');

function detail(file: string, frame: number): DetailJson {
  const r = runCli(['detail', file, '--frame', String(frame), '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as DetailJson;
}

function* walk(items: ItemJson[]): Generator<ItemJson> {
  for (const it of items) {
    yield it;
    if (it.children) yield* walk(it.children);
  }
}

describe('detail', () => {
  beforeAll(() => {
    buildCli();
  });

  // Frames chosen for variety: a SYN, a segment with payload, an ICMP error quoting a UDP packet,
  // and (from the shared set) reassembled IP fragments and a snaplen-cut frame.
  const cases: [string, number][] = [
    [web, 1],
    [web, 4],
    [web, 32],
    [join(sharedFixtures, 'lo-frag.pcap'), 3],
    [join(sharedFixtures, 'lo-snap64.pcap'), 4],
  ];

  it.each(cases)('%s frame %i: every range lies inside its data source', (file, frame) => {
    const d = detail(file, frame);
    expect(d.frame).toBe(frame);
    const size = (source: number | undefined) => (source ? d.sources[source - 1].length : d.bytes.length / 2);
    expect(d.layers[0].proto).toBe('frame');
    for (const l of d.layers) {
      expect(l.offset).toBeGreaterThanOrEqual(0);
      expect(l.offset + l.length, `${l.proto} layer`).toBeLessThanOrEqual(size(l.source));
      expect(l.headerLength).toBeLessThanOrEqual(l.length);
      if (l.proto !== 'frame')
        expect(l.place, `${l.proto} has a place in both models`).toMatchObject({
          osi: expect.any(Number),
          tcpip: expect.any(String),
        });
      for (const it of walk(l.items)) {
        if (it.generated && it.length === 0) continue;
        expect(it.offset, `${it.abbrev || it.label}`).toBeGreaterThanOrEqual(0);
        expect(
          it.offset + it.length,
          `${it.abbrev || it.label} @${it.offset}+${it.length}`,
        ).toBeLessThanOrEqual(size(it.source));
      }
    }
    // Layers follow one another: each starts inside the one before it (or in a new data source).
    for (let k = 2; k < d.layers.length; k++) {
      const [a, b] = [d.layers[k - 1], d.layers[k]];
      if ((a.source ?? 0) !== (b.source ?? 0)) continue;
      expect(b.offset).toBeGreaterThanOrEqual(a.offset);
    }
  });

  it('prints ranges, header lengths and both model places in the text tree', () => {
    const r = runCli(['detail', web, '--frame', '1']);
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toMatch(/^Frame 1: 74 bytes on wire \(592 bits\), 74 bytes captured \(592 bits\)/);
    expect(out).toContain(
      'Ethernet II, Src: 00:00:00:00:00:00, Dst: 00:00:00:00:00:00  @0+74 header 14  [OSI 2 data link | TCP/IP link]',
    );
    expect(out).toContain('    Destination: 00:00:00:00:00:00  @0+6');
    expect(out.find((l) => l.startsWith('Internet Protocol Version 4'))).toMatch(
      /@14\+60 header 20  \[OSI 3 network \| TCP\/IP internet\]$/,
    );
  });

  it.skipIf(!!tsharkMissing)('gives the layer summary lines tshark -V gives', () => {
    // ICMP frames are left out: tshark nests what ICMP carries (the quoted IP/UDP of an error,
    // an echo's data) inside the ICMP tree, while the engine keeps them as layers of their own
    // (so the layer stack can show them); their top-level lines differ by design.
    for (const frame of [1, 2, 4, 25, 26]) {
      const ours = runCli(['detail', web, '--frame', String(frame)])
        .stdout.split('\n')
        .filter((l) => l && !l.startsWith(' '))
        .map((l) => l.replace(/ {2}@\d+\+\d+.*$/, ''));
      const theirs = tshark(['-r', web, ...disabledFor(web), '-V', '-Y', `frame.number == ${frame}`])
        .split('\n')
        // tshark -V adds a hex dump of frames that end in data; only tree lines compare.
        .filter((l) => l && !l.startsWith(' ') && !/^[0-9a-f]{4}  /.test(l));
      // The frame line is tshark's own (it adds the interface); the protocol layers must agree.
      expect(ours.slice(1), `frame ${frame}`).toEqual(theirs.slice(1));
    }
  });
});
