// -T fields text and tree text for every field type. Expected strings are what tshark 4.0 printed
// for the same values on the fixture captures (tests/fixtures/captures; the field noted beside each
// case); tests/tshark/format-oracle.test.ts asks tshark directly for addresses and times.
import { describe, expect, it } from 'vitest';
import { defineFields } from './fields';
import {
  absTimeText,
  bitPicture,
  displayValue,
  escapeFieldText,
  fieldsText,
  gText,
  hexDigits,
  ipv6Text,
  secondsText,
  typeHexDigits,
} from './format';

const F = defineFields('fmt_test', 'Format Test', null, {
  u8hex: { name: 'DS Field', type: 'u8', base: 'hex' },
  flags3: { name: 'Flags', type: 'u8', base: 'hex', mask: 0xe0 },
  tcpflags: { name: 'Flags', type: 'u16', base: 'hex', mask: 0x0fff },
  flow: { name: 'Flow Label', type: 'u24', base: 'hex', mask: 0xfffff },
  tclass: { name: 'Traffic Class', type: 'u32', base: 'hex', mask: 0x0ff00000 },
  u16: { name: 'Port', type: 'u16' },
  dechex: { name: 'Identifier', type: 'u16', base: 'dec_hex' },
  hexdec: { name: 'Identification', type: 'u16', base: 'hex_dec' },
  u64hex: { name: 'Big', type: 'u64', base: 'hex' },
  i32: { name: 'Scale', type: 'i32' },
  i16hex: { name: 'Signed hex', type: 'i16', base: 'hex' },
  oct: { name: 'Mode', type: 'u16', base: 'oct' },
  vals: { name: 'Type', type: 'u8', vals: { 8: 'Echo (ping) request' } },
  flag: { name: "Don't fragment", type: 'bool', mask: 0x40, tf: ['Set', 'Not set'] },
  plainbool: { name: 'Bool', type: 'bool' },
  none: { name: 'Retransmission', type: 'none' },
  bytes: { name: 'Options', type: 'bytes' },
  linkaddr: { name: 'Link-layer address', type: 'bytes', base: 'sep_colon' },
  dashed: { name: 'Dashed', type: 'bytes', base: 'sep_dash' },
  str: { name: 'Comment', type: 'string' },
  v4: { name: 'Source', type: 'ipv4' },
  v6: { name: 'Source', type: 'ipv6' },
  mac: { name: 'Source', type: 'ether' },
  abs: { name: 'Arrival Time', type: 'abs_time', base: 'utc' },
  epoch: { name: 'Epoch Time', type: 'abs_time', base: 'unix' },
  rel: { name: 'Time delta', type: 'rel_time' },
  dbl: { name: 'Response time', type: 'double' },
  flt: { name: 'Float', type: 'float' },
  fnum: { name: 'Response In', type: 'framenum' },
});

describe('fieldsText (tshark -T fields)', () => {
  it('pads hex to the type width, not the mask width', () => {
    expect(fieldsText(F.u8hex, 0)).toBe('0x00'); // ip.dsfield
    expect(fieldsText(F.flags3, 2)).toBe('0x02'); // ip.flags
    expect(fieldsText(F.tcpflags, 0x12)).toBe('0x0012'); // tcp.flags
    expect(fieldsText(F.flow, 0x50b9)).toBe('0x0050b9'); // ipv6.flow
    expect(fieldsText(F.tclass, 0)).toBe('0x00000000'); // ipv6.tclass
    expect(fieldsText(F.u64hex, 0x1234n)).toBe('0x0000000000001234');
  });

  it('prints BASE_DEC_HEX as decimal and BASE_HEX_DEC as hex', () => {
    expect(fieldsText(F.dechex, 24750)).toBe('24750'); // icmp.ident
    expect(fieldsText(F.hexdec, 0x789b)).toBe('0x789b'); // ip.id
  });

  it('prints plain numbers, value strings and frame numbers as decimal', () => {
    expect(fieldsText(F.u16, 8080)).toBe('8080');
    expect(fieldsText(F.vals, 8)).toBe('8'); // icmp.type
    expect(fieldsText(F.fnum, 3)).toBe('3'); // ip.reassembled_in
    expect(fieldsText(F.i32, -1)).toBe('-1');
    expect(fieldsText(F.oct, 0o755)).toBe('0755');
  });

  it('prints a negative value under BASE_HEX as two’s complement at the type width', () => {
    expect(fieldsText(F.i16hex, -2)).toBe('0xfffe');
  });

  it('prints booleans as 1/0 and a present FT_NONE field as 1', () => {
    expect(fieldsText(F.flag, true)).toBe('1'); // ip.flags.df
    expect(fieldsText(F.flag, false)).toBe('0');
    expect(fieldsText(F.plainbool, 1)).toBe('1');
    expect(fieldsText(F.none, null)).toBe('1'); // tcp.analysis.retransmission
  });

  it('prints bytes with their SEP_* separator (icmpv6.opt.linkaddr, veth-arp-nd.pcap frame 7)', () => {
    const mac = Uint8Array.from([2, 0, 0, 0, 0x77, 1]);
    expect(fieldsText(F.linkaddr, mac)).toBe('02:00:00:00:77:01');
    expect(displayValue(F.linkaddr, mac)).toBe('02:00:00:00:77:01');
    expect(fieldsText(F.dashed, mac.subarray(0, 2))).toBe('02-00');
  });

  it('prints bytes as plain hex, and empty bytes as <none>', () => {
    expect(fieldsText(F.bytes, Uint8Array.from([0x02, 0x04, 0x05, 0xb4]))).toBe('020405b4'); // tcp.options
    expect(fieldsText(F.bytes, new Uint8Array(0))).toBe('<none>');
  });

  it('prints addresses as tshark -n does', () => {
    expect(fieldsText(F.v4, Uint8Array.from([127, 0, 0, 1]))).toBe('127.0.0.1');
    expect(fieldsText(F.mac, Uint8Array.from([2, 0, 0, 0, 0x77, 1]))).toBe('02:00:00:00:77:01');
    const v6 = new Uint8Array(16);
    v6[15] = 1;
    expect(fieldsText(F.v6, v6)).toBe('::1');
  });

  it('escapes tab, LF, CR, FF and BS in strings and nothing else (comments.pcapng frame.comment)', () => {
    expect(fieldsText(F.str, 'tab\there "quoted" back\\slash ünïcode\nsecond line\r')).toBe(
      'tab\\there "quoted" back\\slash ünïcode\\nsecond line\\r',
    );
    expect(fieldsText(F.str, 'bell\x07 vt\x0b ff\x0c bs\x08 esc\x1b del\x7f soh\x01')).toBe(
      'bell\x07 vt\x0b ff\\f bs\\b esc\x1b del\x7f soh\x01',
    );
    expect(escapeFieldText('first packet, with a comma')).toBe('first packet, with a comma');
  });

  it('prints times as frame.time, frame.time_epoch and frame.time_delta', () => {
    const t = { sec: 1795503770, nsec: 260076000 };
    expect(fieldsText(F.abs, t)).toBe('Nov 24, 2026 07:02:50.260076000 UTC');
    expect(fieldsText(F.epoch, t)).toBe('1795503770.260076000');
    expect(fieldsText(F.rel, { sec: 0, nsec: 14292 })).toBe('0.000014292');
    expect(fieldsText(F.abs, { sec: 1795503770 - 1728000, nsec: 0 })).toBe(
      'Nov  4, 2026 07:02:50.000000000 UTC',
    );
  });

  it('prints doubles as C %.15g and floats as %.6g', () => {
    expect(fieldsText(F.dbl, 0.011)).toBe('0.011'); // icmp.resptime
    expect(fieldsText(F.flt, 2 / 3)).toBe('0.666667');
  });

  it('prints nothing for an absent value', () => {
    expect(fieldsText(F.u16, null)).toBe('');
  });
});

describe('gText (C %g)', () => {
  it.each([
    [0.011, 15, '0.011'],
    [100, 15, '100'],
    [0.0001, 15, '0.0001'],
    [0.00001, 15, '1e-05'],
    [123456789012345678, 15, '1.23456789012346e+17'],
    [1e15, 15, '1e+15'],
    [999999999999999, 15, '999999999999999'],
    [0.1 + 0.2, 15, '0.3'],
    [1.5e300, 15, '1.5e+300'],
    [-2.5, 15, '-2.5'],
    [0, 15, '0'],
    [1234567, 6, '1.23457e+06'],
    [123456, 6, '123456'],
    [0.5, 6, '0.5'],
  ])('%d with precision %d → %s', (x, p, want) => {
    expect(gText(x, p)).toBe(want);
  });
});

describe('tree text (displayValue) and widths', () => {
  it('uses the mask width for hex in the tree (Flags: 0x2, Flags: 0x012)', () => {
    expect(hexDigits(F.flags3)).toBe(1);
    expect(hexDigits(F.tcpflags)).toBe(3);
    expect(typeHexDigits('u16')).toBe(4);
    expect(displayValue(F.flags3, 2)).toBe('0x2');
    expect(displayValue(F.tcpflags, 0x12)).toBe('0x012');
  });

  it('shows value strings and dec/hex pairs', () => {
    expect(displayValue(F.vals, 8)).toBe('Echo (ping) request (8)');
    expect(displayValue(F.dechex, 24750)).toBe('24750 (0x60ae)');
    expect(displayValue(F.hexdec, 0x789b)).toBe('0x789b (30875)');
  });

  it('shows at most 36 bytes in the tree, then an ellipsis', () => {
    const b = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect(displayValue(F.bytes, b)).toBe(
      Array.from(b.subarray(0, 36), (x) => x.toString(16).padStart(2, '0')).join('') + '…',
    );
    expect(displayValue(F.bytes, b.subarray(0, 36))).toHaveLength(72);
  });

  it('shows booleans with their true/false words', () => {
    expect(displayValue(F.flag, true)).toBe('Set');
    expect(displayValue(F.plainbool, false)).toBe('False');
  });

  it('draws bit pictures grouped by four', () => {
    expect(bitPicture(0x40, 0xe0, 1)).toBe('010. ....');
    expect(bitPicture(0x0012, 0x0002, 2)).toBe('.... .... .... ..1.');
  });

  it('formats seconds with nine decimals, negative deltas included', () => {
    expect(secondsText(0, 0)).toBe('0.000000000');
    expect(secondsText(-1, 999999000)).toBe('-0.000001000');
    expect(secondsText(3, 5)).toBe('3.000000005');
  });

  it('writes absolute times in UTC with a space-padded day', () => {
    expect(absTimeText({ sec: 0, nsec: 0 })).toBe('Jan  1, 1970 00:00:00.000000000 UTC');
  });

  it('writes IPv6 as RFC 5952', () => {
    const a = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Text(a)).toBe('2001:db8::1:0:0:1');
  });
});
