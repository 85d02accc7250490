// Ethernet II and IEEE 802.3 (IEEE Std 802.3-2018 §3.2; DIX Ethernet II), with the minimal
// IEEE 802.2 LLC / SNAP (RFC 1042) that 802.3 length frames carry.
//
// As Wireshark 4.0:
// - a type/length value ≤ 1500 is an 802.3 length (then LLC), ≥ 1536 an EtherType; between the two
//   it is invalid. `ethertype` is listed in frame.protocols after the header, as Wireshark's
//   ethertype dispatcher does.
// - bytes after what the payload covered are padding (frames shorter than 60 bytes padded with
//   zeros up to 60) or a trailer; an FCS is assumed only when the frame is at least 64 bytes and
//   at least 4 trailer bytes remain (Wireshark's "maybe FCS" default for pcap Ethernet).
// - with no dissector for the EtherType, Protocol shows the type in hex and Info its name.
// Addresses are shown as tshark -n shows them: bare, with no manufacturer or well-known names.
import type { Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { defineFields } from '../dissect/fields';
import { etherText, hex2 } from '../dissect/format';
import type { PacketInfo } from '../dissect/packet';
import type { FieldDef, Item } from '../dissect/types';
import { CHECKSUM_STATUS, ETYPE, LLC_FTYPE, LLC_SAP, LLC_U_CMD, LLC_U_RESP } from './l2l3-values';

const LG: readonly [string, string] = [
  'Locally administered address (this is NOT the factory default)',
  'Globally unique address (factory default)',
];
const IG: readonly [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];

export const fields = defineFields(
  'eth',
  'Ethernet',
  { osi: 2, tcpip: 'link' },
  {
    dst: { name: 'Destination', type: 'ether' },
    src: { name: 'Source', type: 'ether' },
    addr: { name: 'Address', type: 'ether' },
    'dst.lg': { name: 'LG bit', type: 'bool', mask: 0x020000, tf: LG },
    'dst.ig': { name: 'IG bit', type: 'bool', mask: 0x010000, tf: IG },
    'src.lg': { name: 'LG bit', type: 'bool', mask: 0x020000, tf: LG },
    'src.ig': { name: 'IG bit', type: 'bool', mask: 0x010000, tf: IG },
    lg: { name: 'LG bit', type: 'bool', mask: 0x020000, tf: LG },
    ig: { name: 'IG bit', type: 'bool', mask: 0x010000, tf: IG },
    type: { name: 'Type', type: 'u16', base: 'hex', vals: ETYPE },
    len: { name: 'Length', type: 'u16' },
    invalid_lentype: { name: 'Invalid length/type', type: 'u16', base: 'hex_dec' },
    padding: { name: 'Padding', type: 'bytes' },
    trailer: { name: 'Trailer', type: 'bytes' },
    fcs: { name: 'Frame check sequence', type: 'u32', base: 'hex' },
    'fcs.status': { name: 'FCS Status', type: 'u8', vals: CHECKSUM_STATUS },
  },
);

const ethertypeFields = defineFields('ethertype', 'Ethertype', { osi: 2, tcpip: 'link' }, {});

export const llcFields = defineFields(
  'llc',
  'Logical-Link Control',
  { osi: 2, tcpip: 'link' },
  {
    dsap: { name: 'DSAP', type: 'u8', base: 'hex', vals: LLC_SAP },
    'dsap.sap': { name: 'SAP', type: 'u8', mask: 0xfe },
    'dsap.ig': { name: 'IG Bit', type: 'bool', mask: 0x01, tf: ['Group', 'Individual'] },
    ssap: { name: 'SSAP', type: 'u8', base: 'hex', vals: LLC_SAP },
    'ssap.sap': { name: 'SAP', type: 'u8', mask: 0xfe },
    'ssap.cr': { name: 'CR Bit', type: 'bool', mask: 0x01, tf: ['Response', 'Command'] },
    control: { name: 'Control', type: 'u16', base: 'hex' },
    'control.n_r': { name: 'N(R)', type: 'u16', mask: 0xfe00 },
    'control.n_s': { name: 'N(S)', type: 'u16', mask: 0x00fe },
    'control.p': { name: 'Poll', type: 'bool', mask: 0x10 },
    'control.f': { name: 'Final', type: 'bool', mask: 0x10 },
    'control.u_modifier_cmd': { name: 'Command', type: 'u8', base: 'hex', mask: 0xec, vals: LLC_U_CMD },
    'control.u_modifier_resp': { name: 'Response', type: 'u8', base: 'hex', mask: 0xec, vals: LLC_U_RESP },
    // Registered with Wireshark's XDLC_I_MASK; U frames show it under 0x03 per item (withMask).
    'control.ftype': { name: 'Frame type', type: 'u16', base: 'hex', mask: 0x01, vals: LLC_FTYPE },
    oui: { name: 'Organization Code', type: 'u24' },
    type: { name: 'Type', type: 'u16', base: 'hex', vals: ETYPE },
    pid: { name: 'Protocol ID', type: 'u16', base: 'hex' },
  },
);

/** EtherTypes of 802.1Q tags: the tag dissector, not the outer header, reports the trailer. */
export const TAG_TPIDS: ReadonlySet<number> = new Set([0x8100, 0x88a8, 0x9100]);

/** MAC address text for columns and summaries. */
export function macName(b: Uint8Array, off = 0): string {
  return etherText(b, off, 6);
}

function macLabel(name: string, b: Uint8Array): string {
  return `${name}: ${etherText(b, 0, 6)}`;
}

/** Adds an Ethernet address with its Address / LG / IG children, as Wireshark draws them. */
function address(c: Cursor, f: FieldDef, lg: FieldDef, ig: FieldDef): Uint8Array {
  const at = c.pos;
  const a = c.bytes(6);
  if (c.tree) {
    const item = c.add(f, at, 6, a, macLabel(f.name, a));
    c.within(item, () => {
      c.add(fields.addr, at, 6, a, macLabel('Address', a));
      const raw = (a[0] << 16) | (a[1] << 8) | a[2];
      c.bits(lg, raw, at, 3);
      c.bits(ig, raw, at, 3);
      const h1 = c.add(fields.lg, at, 3, (raw & 0x020000) !== 0);
      const h2 = c.add(fields.ig, at, 3, (raw & 0x010000) !== 0);
      if (h1) h1.hidden = true;
      if (h2) h2.hidden = true;
    });
  }
  return a;
}

/**
 * Padding, trailer and FCS after the payload (Wireshark's add_ethernet_trailer). `end` is where
 * the dissector calling the EtherType dispatch ends (the frame end), `covered` where the payload's
 * layers stopped; `fcsMaybe` is false for tags and cooked headers, which never carry an FCS.
 */
export function ethTrailer(
  c: Cursor,
  p: PacketInfo,
  covered: number,
  trailerField: FieldDef,
  fcsMaybe: boolean,
  layerStart: number,
): void {
  const end = c.declaredEnd;
  const captured = c.data.length;
  // Everything captured was claimed by the payload (or it was cut short): nothing to show.
  if (covered <= 0 || covered >= end || covered >= captured) return;
  const pktLen = p.frame.origlen;
  let reported = end - covered;
  let length = Math.min(end, captured) - covered;
  const maybePadded = pktLen >= 60 && pktLen - reported < 60;
  let padding = 0;
  if (maybePadded) {
    padding = Math.min(60 - (pktLen - reported), length);
    for (let i = 0; i < padding; i++) {
      if (c.data[covered + i] !== 0) {
        padding = 0;
        break;
      }
    }
    if (padding > 0) {
      c.add(fields.padding, covered, padding, c.data.subarray(covered, covered + padding));
      length -= padding;
      reported -= padding;
    }
  }
  let hasFcs = false;
  if (fcsMaybe && end - layerStart >= 64 && reported >= 4) {
    reported -= 4;
    length = Math.min(length, reported);
    hasFcs = true;
  }
  const at = covered + padding;
  if (length > 0) {
    const item = c.add(trailerField, at, length, c.data.subarray(at, at + length));
    if (maybePadded && padding === 0) {
      c.within(item, () =>
        c.expert(
          'eth.padding_bad',
          'note',
          'protocol',
          "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
          at,
          length,
        ),
      );
    }
  }
  if (hasFcs && c.tree && at + length + 4 <= captured) {
    const fcs = c.getU32(at + length);
    c.add(
      fields.fcs,
      at + length,
      4,
      fcs,
      `Frame check sequence: 0x${fcs.toString(16).padStart(8, '0')} [unverified]`,
    );
    const st = c.add(fields['fcs.status'], at + length, 0, 2, '[FCS Status: Unverified]');
    if (st) st.generated = true;
  }
}

/** Column text for an EtherType no dissector claimed; real dissectors overwrite both. */
export function ethertypeColumns(p: PacketInfo, type: number): void {
  if (!p.cols) return;
  p.columns.protocol = `0x${hex2(type >> 8)}${hex2(type & 0xff)}`;
  const d = ETYPE[type];
  if (d !== undefined) p.columns.info = d;
}

function dissectEth(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  if (p.cols) p.columns.protocol = 'Ethernet';
  const at = c.pos;
  // The index pass reads no address here: it takes them from the offsets if it needs them.
  const text = c.tree || p.cols;
  const dst = text ? address(c, fields.dst, fields['dst.lg'], fields['dst.ig']) : null;
  const src = text ? address(c, fields.src, fields['src.lg'], fields['src.ig']) : null;
  if (!text) {
    // Two reads of six, as `address` reads: a frame cut inside the first address is judged by it.
    c.skip(6);
    c.skip(6);
  }
  if (p.dlData === null) {
    p.dlData = c.data;
    p.dlDstAt = at;
    p.dlSrcAt = at + 6;
  }
  if (src && dst && p.cols) {
    p.columns.src = macName(src);
    p.columns.dst = macName(dst);
  }
  const typeAt = c.pos;
  const type = c.getU16(typeAt);
  // Text is built only for the tree: the index pass must not pay for it.
  const summary =
    src && dst && c.tree
      ? `${type <= 1500 ? 'IEEE 802.3 Ethernet' : 'Ethernet II'}, Src: ${macName(src)}, Dst: ${macName(dst)}`
      : undefined;
  if (p.cols) p.columns.info = type <= 1500 ? 'IEEE 802.3 Ethernet' : 'Ethernet II';
  if (type <= 1500) {
    c.u16(fields.len);
    const payloadEnd = c.pos + type;
    if (payloadEnd > c.declaredEnd) {
      c.expert(
        'eth.len.past_end',
        'error',
        'malformed',
        'Length field value goes past the end of the payload',
        typeAt,
        2,
      );
    }
    return {
      summary,
      next: { proto: 'llc', end: Math.min(payloadEnd, c.declaredEnd) },
      finish: (covered) => ethTrailer(c, p, covered, fields.trailer, true, start),
    };
  }
  if (type < 1536) {
    c.u16(fields.invalid_lentype);
    c.expert(
      'eth.invalid_lentype.expert',
      'warn',
      'protocol',
      `Invalid length/type: 0x${type.toString(16).padStart(4, '0')} (${type})`,
      typeAt,
      2,
    );
    return { summary, next: null };
  }
  c.u16(fields.type);
  p.protocols.push('ethertype');
  ethertypeColumns(p, type);
  return {
    summary,
    next: { table: 'ethertype', key: type },
    finish: TAG_TPIDS.has(type)
      ? undefined
      : (covered) => ethTrailer(c, p, covered, fields.trailer, true, start),
  };
}

function dissectLlc(c: Cursor, p: PacketInfo): DissectResult {
  if (p.cols) {
    p.columns.protocol = 'LLC';
    p.columns.info = '';
  }
  const dsapAt = c.pos;
  const dsap = c.u8();
  const ssap = c.u8();
  if (c.tree) {
    const d = c.add(
      llcFields.dsap,
      dsapAt,
      1,
      dsap,
      `DSAP: ${LLC_SAP[dsap & 0xfe] ?? 'Unknown'} (0x${hex2(dsap)})`,
    );
    c.within(d, () => {
      withMask(
        c.add(
          llcFields['dsap.sap'],
          dsapAt,
          1,
          dsap >> 1,
          `${bitPic(dsap, 0xfe)} = SAP: ${LLC_SAP[dsap & 0xfe] ?? 'Unknown'}`,
        ),
        0xfe,
      );
      c.bits(llcFields['dsap.ig'], dsap, dsapAt, 1);
    });
    const s = c.add(
      llcFields.ssap,
      dsapAt + 1,
      1,
      ssap,
      `SSAP: ${LLC_SAP[ssap & 0xfe] ?? 'Unknown'} (0x${hex2(ssap)})`,
    );
    c.within(s, () => {
      withMask(
        c.add(
          llcFields['ssap.sap'],
          dsapAt + 1,
          1,
          ssap >> 1,
          `${bitPic(ssap, 0xfe)} = SAP: ${LLC_SAP[ssap & 0xfe] ?? 'Unknown'}`,
        ),
        0xfe,
      );
      c.bits(llcFields['ssap.cr'], ssap, dsapAt + 1, 1);
    });
  }
  const ctlAt = c.pos;
  const ctl = c.getU8(ctlAt);
  // ISO/IEC 8802-2 §5.2: U frames have a 1-byte control field, I and S frames a 2-byte one.
  if ((ctl & 0x03) === 0x03) {
    c.skip(1);
    if (c.tree) {
      const cmd = ctl & 0xec;
      const resp = (ssap & 1) !== 0;
      const names = resp ? LLC_U_RESP : LLC_U_CMD;
      const func = U_ABBREV[cmd] ?? `0x${hex2(cmd)}`;
      const it = c.add(llcFields.control, ctlAt, 1, ctl, `Control field: U, func=${func} (0x${hex2(ctl)})`);
      c.within(it, () => {
        const f = resp ? llcFields['control.u_modifier_resp'] : llcFields['control.u_modifier_cmd'];
        withMask(
          c.add(
            f,
            ctlAt,
            1,
            cmd,
            `${bitPic(ctl, 0xec)} = ${f.name}: ${names[cmd] ?? 'Unknown'} (0x${hex2(cmd)})`,
          ),
          0xec,
        );
        withMask(
          c.add(
            llcFields['control.ftype'],
            ctlAt,
            1,
            3,
            `${bitPic(ctl, 0x03)} = Frame type: Unnumbered frame (0x3)`,
          ),
          0x03,
        );
      });
    }
  } else {
    const v = c.getU16(ctlAt, true);
    c.skip(2);
    if (c.tree) {
      const isI = (ctl & 1) === 0;
      const it = c.add(
        llcFields.control,
        ctlAt,
        2,
        v,
        `Control field: ${isI ? 'I' : 'S'} (0x${v.toString(16).padStart(4, '0')})`,
      );
      c.within(it, () => {
        c.add(
          llcFields['control.ftype'],
          ctlAt,
          2,
          isI ? 0 : 1,
          `Frame type: ${isI ? 'Information frame' : 'Supervisory frame'} (0x${isI ? 0 : 1})`,
        );
      });
    }
  }
  if (dsap === 0xaa && ssap === 0xaa) {
    // RFC 1042 SNAP: an OUI of 0 means the next two bytes are an EtherType.
    const oui = c.u24();
    if (c.tree) c.add(llcFields.oui, c.pos - 3, 3, oui, `Organization Code: ${ouiText(oui)}`);
    if (oui === 0) {
      const type = c.u16(llcFields.type);
      ethertypeColumns(p, type);
      return { summary: 'Logical-Link Control', next: { table: 'ethertype', key: type } };
    }
    c.u16(llcFields.pid);
    return { summary: 'Logical-Link Control', next: { table: 'llc.snap', key: oui } };
  }
  return { summary: 'Logical-Link Control', next: { table: 'llc.dsap', key: dsap } };
}

const U_ABBREV: Readonly<Record<number, string>> = {
  0x00: 'UI',
  0x04: 'UP',
  0x0c: 'DM',
  0x40: 'DISC',
  0x60: 'UA',
  0x6c: 'SABME',
  0x84: 'FRMR',
  0xac: 'XID',
  0xe0: 'TEST',
};

function ouiText(oui: number): string {
  const t = `${hex2(oui >> 16)}:${hex2((oui >> 8) & 0xff)}:${hex2(oui & 0xff)}`;
  return oui === 0 ? `${t} (Officially Xerox, but` : t;
}

function withMask(it: Item | null, mask: number): void {
  if (it) it.mask = mask;
}

function bitPic(raw: number, mask: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) {
    s += mask & (1 << i) ? ((raw >> i) & 1 ? '1' : '0') : '.';
    if (i === 4) s += ' ';
  }
  return s;
}

export const dissectors: readonly Dissector[] = [
  { fields, pdu: 'frame', in: { link: 1 }, dissect: dissectEth },
  // LLC lives here because only 802.3 length frames (and VLAN tags with lengths) lead to it.
  { fields: llcFields, pdu: 'frame', dissect: dissectLlc },
  // `ethertype` is a name in frame.protocols only; it never runs as a layer.
  { fields: ethertypeFields, dissect: () => ({ next: null }) },
];
