// fieldColumn: one `tshark -T fields` cell. Expected texts are tshark 4.0's for the same situations
// (lo-icmp-unreach.pcap frame 4: two `ip` layers; linktype-null.pcap: `null`; any fixture: `data`).
import { describe, expect, it } from 'vitest';
import { defineFields } from './fields';
import { fieldColumn, findItems } from './query';
import type { Dissection, Item, Layer } from './types';

defineFields(
  'qt_ip',
  'Query Test IPv4',
  { osi: 3, tcpip: 'internet' },
  {
    src: { name: 'Source', type: 'ipv4' },
    flag: { name: 'Flag', type: 'bool', mask: 0x40 },
    seen: { name: 'Seen', type: 'none' },
  },
);
const N = defineFields('qt_null', 'Query Test Null', { osi: 2, tcpip: 'link' }, {});
defineFields('data', 'Data', { osi: 7, tcpip: 'application' }, { data: { name: 'Data', type: 'bytes' } });

const item = (abbrev: string, value: Item['value'], extra: Partial<Item> = {}): Item => ({
  abbrev,
  label: abbrev,
  offset: 0,
  length: 0,
  value,
  ...extra,
});

function layer(proto: string, summary: string, items: Item[]): Layer {
  return {
    proto,
    name: summary,
    summary,
    place: null,
    offset: 0,
    length: 0,
    headerLength: 0,
    items,
    experts: [],
    malformed: false,
    truncated: false,
  };
}

const d: Dissection = {
  frame: 4,
  columns: { protocol: '', info: '', src: '', dst: '' },
  protocols: [],
  sources: [],
  layers: [
    layer('qt_null', N.$proto.name, []),
    layer('qt_ip', 'Query Test IPv4, Src: 127.0.0.1', [
      item('qt_ip.src', Uint8Array.from([127, 0, 0, 1])),
      item('qt_ip.flag', true, { children: [item('qt_ip.seen', null, { hidden: true })] }),
    ]),
    layer('qt_ip', 'Query Test IPv4, Src: 10.0.0.2\tquoted', [
      item('qt_ip.src', Uint8Array.from([10, 0, 0, 2])),
      item('qt_ip.flag', false),
    ]),
    layer('data', 'Data (3 bytes)', [item('data.data', Uint8Array.from([0x6e, 0x6f, 0x62]))]),
  ],
};

describe('fieldColumn', () => {
  it('joins every occurrence in tree order with the aggregator', () => {
    expect(fieldColumn(d, 'qt_ip.src')).toBe('127.0.0.1,10.0.0.2');
    expect(fieldColumn(d, 'qt_ip.flag')).toBe('1,0');
    expect(fieldColumn(d, 'qt_ip.src', ';')).toBe('127.0.0.1;10.0.0.2');
  });

  it('finds nested and hidden items, FT_NONE printing 1', () => {
    expect(findItems(d, 'qt_ip.seen')).toHaveLength(1);
    expect(fieldColumn(d, 'qt_ip.seen')).toBe('1');
  });

  it('is empty for an absent field and for an unknown name', () => {
    expect(fieldColumn(d, 'qt_null.nothing')).toBe('');
    expect(fieldColumn(d, 'no.such.field')).toBe('');
  });

  it('prints a protocol as its own tree line, or its abbreviation when the line is just its name', () => {
    expect(fieldColumn(d, 'qt_ip')).toBe(
      'Query Test IPv4, Src: 127.0.0.1,Query Test IPv4, Src: 10.0.0.2\\tquoted',
    );
    expect(fieldColumn(d, 'qt_null')).toBe('qt_null');
  });

  it('prints the engine pseudo-protocols as tshark does', () => {
    const e: Dissection = {
      ...d,
      protocols: ['eth', 'ipv6', '_ws.malformed'],
      layers: [
        layer('qt_ip', 'x', [
          item('_ws.expert', null, {
            generated: true,
            label:
              '[Expert Info (Warning/Sequence): Previous segment(s) not captured (common at capture start)]',
            expert: {
              id: '_ws.expert',
              severity: 'warn',
              group: 'sequence',
              message: 'Previous segment(s) not captured (common at capture start)',
              offset: 0,
              length: 0,
            },
          }),
          item('tcp.connection.syn', null, {
            generated: true,
            label: '[Expert Info (Chat/Sequence): Connection establish request (SYN): server port 8080]',
            expert: {
              id: 'tcp.connection.syn',
              severity: 'chat',
              group: 'sequence',
              message: 'Connection establish request (SYN): server port 8080',
              offset: 0,
              length: 0,
            },
          }),
          item('_ws.short', null, {
            generated: true,
            label: '[Packet size limited during capture: TCP truncated]',
          }),
        ]),
      ],
    };
    // Numbers as tshark 4.0 printed them on lo-http4.pcap frame 1 and tcp-analysis-edited.pcap frame 9.
    expect(fieldColumn(e, '_ws.expert')).toBe(
      'Expert Info (Warning/Sequence): Previous segment(s) not captured (common at capture start),Expert Info (Chat/Sequence): Connection establish request (SYN): server port 8080',
    );
    expect(fieldColumn(e, '_ws.expert.severity')).toBe('6291456,2097152');
    expect(fieldColumn(e, '_ws.expert.group')).toBe('33554432,33554432');
    expect(fieldColumn(e, '_ws.expert.message')).toBe(
      'Previous segment(s) not captured (common at capture start),Connection establish request (SYN): server port 8080',
    );
    expect(fieldColumn(e, '_ws.short')).toBe('[Packet size limited during capture: TCP truncated]');
    expect(fieldColumn(e, '_ws.malformed')).toBe('_ws.malformed');
    expect(fieldColumn(d, '_ws.malformed')).toBe('');
  });

  it('prints the data protocol as the bytes in hex', () => {
    expect(fieldColumn(d, 'data')).toBe('6e6f62');
  });
});
