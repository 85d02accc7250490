// TCP: RFC 9293 (header, options kinds 0–2), RFC 7323 (window scale, timestamps), RFC 2018 and
// RFC 2883 (SACK, D-SACK), RFC 7413 (Fast Open), RFC 6994 (experiment ids), RFC 5482 (user
// timeout), RFC 2385 (MD5 signature), RFC 5925 (TCP AO), RFC 9768 (AccECN: the ACE counter and the
// AccECN option).
//
// Field names, tree labels, the Protocol and Info columns and the sequence analysis follow
// Wireshark 4.0 (packet-tcp.c) with its default preferences: relative sequence numbers,
// analysis on, checksum not verified, bytes in flight tracked, fast retransmission before
// out-of-order, no subdissector for retransmitted or out-of-order data.
//
// Deliberate differences from Wireshark:
// - Reassembly (shared/reassembly/tcp-stream.ts) also puts out-of-order segments back in order;
//   see there for how it departs from Wireshark.
// - Options other than EOL, NOP, MSS, window scale, SACK permitted, SACK, timestamps, echo,
//   echo reply, MD5, user timeout, Fast Open, AO, AccECN and the RFC 6994 experiments are shown
//   with their Wireshark name, kind, length and raw payload, not decoded further (MPTCP, which
//   Wireshark dissects as a protocol of its own with its own analysis; CC, SCPS, QS, Riverbed…).
// - Wireshark's hidden `tcp.port` items are marked `hidden` on the item.
import { defineFields } from '../dissect/fields';
import { ShortRead, type Cursor } from '../dissect/cursor';
import type { Dissector, DissectResult } from '../dissect/engine';
import { hasNetAddresses, type PacketInfo } from '../dissect/packet';
import type { FieldDef, Item, Severity } from '../dissect/types';
import {
  TA_ACK_LOST_PACKET,
  TA_DUPLICATE_ACK,
  TA_FAST_RETRANSMISSION,
  TA_KEEP_ALIVE,
  TA_KEEP_ALIVE_ACK,
  TA_LOST_PACKET,
  TA_OUT_OF_ORDER,
  TA_PRESENT,
  TA_RETRANSMISSION,
  TA_REUSED_PORTS,
  TA_SPURIOUS_RETRANSMISSION,
  TA_WINDOW_FULL,
  TA_WINDOW_UPDATE,
  TA_ZERO_WINDOW,
  TA_ZERO_WINDOW_PROBE,
  TA_ZERO_WINDOW_PROBE_ACK,
  TH_ACK,
  TH_FIN,
  TH_RST,
  TH_SYN,
  TcpConv,
  TcpFlow,
  TcpRecord,
  TcpState,
  analyzeSequence,
  nsBetween,
  S_BASE_SEQ_SET,
  S_SAW_SYN,
  S_SAW_SYNACK,
  setBases,
  storeSackBlock,
  verifyWindowScaling,
} from '../conversations/tcp-analysis';
import { ensure } from '../conversations/grow';
import { endpointsOfPacket, type Endpoints } from '../conversations/table';
import { seqGe, seqLe, seqLt } from '../conversations/seq';
import { tcpState } from '../conversations/index';
import { endLayer, expertItem, gen, hide, quotedAddresses, relTime, relTimeText } from './l4-support';
import {
  feedSegment,
  noteAck,
  payloadHints,
  type ReassemblyFields,
  type SegmentIn,
} from '../reassembly/tcp-stream';
import type { CutPdu } from '../reassembly/pdu-stream';

const OPTION_KINDS: Record<number, string> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  6: 'Echo',
  7: 'Echo Reply',
  8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile',
  11: 'CC',
  12: 'CC.NEW',
  13: 'CC.ECHO',
  14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data',
  16: 'Skeeter',
  17: 'Bubba',
  18: 'Trailer Checksum Option',
  19: 'MD5 Signature Option',
  20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements',
  22: 'Record Boundaries',
  23: 'Corruption experienced',
  24: 'SNAP',
  25: 'Unassigned',
  26: 'TCP Compression Filter',
  27: 'Quick-Start Response',
  28: 'User Timeout Option',
  29: 'The TCP Authentication Option',
  30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie',
  69: 'Encryption Negotiation',
  76: 'Riverbed Probe',
  78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0',
  174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

/** Option kinds Wireshark registers a dissector for: [protocol abbrev suffix, short name]. */
const OPTION_PROTOS: Record<number, [string, string]> = {
  0: ['eol', 'End of Option List (EOL)'],
  1: ['nop', 'No-Operation (NOP)'],
  2: ['mss', 'Maximum segment size'],
  3: ['wscale', 'Window scale'],
  4: ['sack_perm', 'SACK permitted'],
  5: ['sack', 'SACK'],
  6: ['echo', 'Echo'],
  7: ['echoreply', 'Echo reply'],
  8: ['timestamp', 'Timestamps'],
  11: ['cc', 'CC'],
  12: ['ccnew', 'CC.NEW'],
  13: ['ccecho', 'CC.ECHO'],
  19: ['md5', 'TCP MD5 signature'],
  20: ['scps', 'SCPS capabilities'],
  21: ['snack', 'Selective Negative Acknowledgment'],
  22: ['scpsrec', 'SCPS record boundary'],
  23: ['scpscor', 'SCPS corruption experienced'],
  27: ['qs', 'Quick-Start'],
  28: ['user_to', 'User Timeout'],
  29: ['ao', 'TCP AO'],
  30: ['mptcp', 'MPTCP'],
  34: ['tfo', 'TCP Fast Open'],
  76: ['rvbd.probe', 'Riverbed Probe'],
  78: ['rvbd.trpy', 'Riverbed Transparency'],
  172: ['acc_ecn', 'Accurate ECN'],
  174: ['acc_ecn', 'Accurate ECN'],
  253: ['experimental', 'Experimental'],
  254: ['experimental', 'Experimental'],
};

const EXPERIMENT_IDS: Record<number, string> = {
  0xf989: 'Fast Open',
  0xacc0: 'Accurate ECN - Order 0',
  0xacc1: 'Accurate ECN - Order 1',
};

const CHECKSUM_STATUS: Record<number, string> = {
  0: 'Bad',
  1: 'Good',
  2: 'Unverified',
  3: 'Not present',
  4: 'Illegal',
};

export const fields = defineFields(
  'tcp',
  'Transmission Control Protocol',
  { osi: 4, tcpip: 'transport' },
  {
    srcport: { name: 'Source Port', type: 'u16' },
    dstport: { name: 'Destination Port', type: 'u16' },
    port: { name: 'Source or Destination Port', type: 'u16' },
    stream: { name: 'Stream index', type: 'u32' },
    completeness: { name: 'Conversation completeness', type: 'u8' },
    len: { name: 'TCP Segment Len', type: 'u32' },
    seq: { name: 'Sequence Number', type: 'u32' },
    seq_raw: { name: 'Sequence Number (raw)', type: 'u32' },
    nxtseq: { name: 'Next Sequence Number', type: 'u32' },
    ack: { name: 'Acknowledgment Number', type: 'u32' },
    ack_raw: { name: 'Acknowledgment number (raw)', type: 'u32' },
    hdr_len: { name: 'Header Length', type: 'u8' },
    flags: { name: 'Flags', type: 'u16', base: 'hex', mask: 0xfff },
    'flags.res': { name: 'Reserved', type: 'bool', mask: 0xe00, tf: ['Set', 'Not set'] },
    'flags.ae': { name: 'Accurate ECN', type: 'bool', mask: 0x100, tf: ['Set', 'Not set'] },
    'flags.cwr': { name: 'Congestion Window Reduced', type: 'bool', mask: 0x80, tf: ['Set', 'Not set'] },
    'flags.ece': { name: 'ECN-Echo', type: 'bool', mask: 0x40, tf: ['Set', 'Not set'] },
    'flags.ace': { name: 'ACE', type: 'u8' },
    'flags.urg': { name: 'Urgent', type: 'bool', mask: 0x20, tf: ['Set', 'Not set'] },
    'flags.ack': { name: 'Acknowledgment', type: 'bool', mask: 0x10, tf: ['Set', 'Not set'] },
    'flags.push': { name: 'Push', type: 'bool', mask: 0x8, tf: ['Set', 'Not set'] },
    'flags.reset': { name: 'Reset', type: 'bool', mask: 0x4, tf: ['Set', 'Not set'] },
    'flags.syn': { name: 'Syn', type: 'bool', mask: 0x2, tf: ['Set', 'Not set'] },
    'flags.fin': { name: 'Fin', type: 'bool', mask: 0x1, tf: ['Set', 'Not set'] },
    'flags.str': { name: 'TCP Flags', type: 'string' },
    window_size_value: { name: 'Window', type: 'u16' },
    window_size: { name: 'Calculated window size', type: 'u32' },
    window_size_scalefactor: { name: 'Window size scaling factor', type: 'i32' },
    checksum: { name: 'Checksum', type: 'u16', base: 'hex' },
    'checksum.status': { name: 'Checksum Status', type: 'u8', vals: CHECKSUM_STATUS },
    urgent_pointer: { name: 'Urgent Pointer', type: 'u16' },
    options: { name: 'TCP Options', type: 'bytes' },
    option_kind: { name: 'Kind', type: 'u8', vals: OPTION_KINDS },
    option_len: { name: 'Length', type: 'u8' },
    'options.nop': { name: 'TCP Option - No-Operation (NOP)', type: 'bytes' },
    'options.eol': { name: 'TCP Option - End of Option List (EOL)', type: 'bytes' },
    'options.mss': { name: 'TCP Option - Maximum segment size', type: 'bytes' },
    'options.mss_val': { name: 'MSS Value', type: 'u16' },
    'options.wscale': { name: 'TCP Option - Window scale', type: 'bytes' },
    'options.wscale.shift': { name: 'Shift count', type: 'u8' },
    'options.wscale.multiplier': { name: 'Multiplier', type: 'u16' },
    'options.sack_perm': { name: 'TCP Option - SACK permitted', type: 'bytes' },
    'options.sack': { name: 'TCP Option - SACK', type: 'bytes' },
    'options.sack_le': { name: 'TCP SACK Left Edge', type: 'u32' },
    'options.sack_re': { name: 'TCP SACK Right Edge', type: 'u32' },
    'options.sack.count': { name: 'TCP SACK Count', type: 'u8' },
    'options.sack.dsack_le': { name: 'TCP D-SACK Left Edge', type: 'u32' },
    'options.sack.dsack_re': { name: 'TCP D-SACK Right Edge', type: 'u32' },
    'options.timestamp': { name: 'TCP Option - Timestamps', type: 'bytes' },
    'options.timestamp.tsval': { name: 'Timestamp value', type: 'u32' },
    'options.timestamp.tsecr': { name: 'Timestamp echo reply', type: 'u32' },
    'options.echo': { name: 'TCP Option - Echo', type: 'bytes' },
    'options.echoreply': { name: 'TCP Option - Echo reply', type: 'bytes' },
    'options.echo_value': { name: 'TCP Echo Option', type: 'u32' },
    'options.md5': { name: 'TCP Option - TCP MD5 signature', type: 'bytes' },
    'options.md5.digest': { name: 'MD5 digest', type: 'bytes' },
    'options.user_to': { name: 'TCP Option - User Timeout', type: 'bytes' },
    'options.user_to_granularity': {
      name: 'Granularity',
      type: 'bool',
      mask: 0x8000,
      tf: ['Minutes', 'Seconds'],
    },
    'options.user_to_val': { name: 'User Timeout', type: 'u16', mask: 0x7fff },
    'options.tfo': { name: 'TCP Option - TCP Fast Open', type: 'bytes' },
    'options.tfo.request': { name: 'Fast Open Cookie Request', type: 'none' },
    'options.tfo.cookie': { name: 'Fast Open Cookie', type: 'bytes' },
    'options.experimental': { name: 'TCP Option - Experimental', type: 'bytes' },
    'options.experimental.exid': {
      name: 'Experiment Identifier',
      type: 'u16',
      base: 'hex',
      vals: EXPERIMENT_IDS,
    },
    'options.experimental.data': { name: 'Data', type: 'bytes' },
    'options.acc_ecn': { name: 'TCP Option - Accurate ECN', type: 'bytes' },
    'options.acc_ecn.ee0b': { name: 'Accurate ECN Echo ECT(0) Byte Counter', type: 'u24' },
    'options.acc_ecn.eceb': { name: 'Accurate ECN Echo CE Byte Counter', type: 'u24' },
    'options.acc_ecn.ee1b': { name: 'Accurate ECN Echo ECT(1) Byte Counter', type: 'u24' },
    'options.unknown': { name: 'TCP Option - Unknown', type: 'bytes' },
    'options.unknown.payload': { name: 'Payload', type: 'bytes' },
    'options.cc': { name: 'TCP Option - CC', type: 'bytes' },
    'options.ccnew': { name: 'TCP Option - CC.NEW', type: 'bytes' },
    'options.ccecho': { name: 'TCP Option - CC.ECHO', type: 'bytes' },
    'options.scps': { name: 'TCP Option - SCPS capabilities', type: 'bytes' },
    'options.snack': { name: 'TCP Option - Selective Negative Acknowledgment', type: 'bytes' },
    'options.scpsrec': { name: 'TCP Option - SCPS record boundary', type: 'bytes' },
    'options.scpscor': { name: 'TCP Option - SCPS corruption experienced', type: 'bytes' },
    'options.qs': { name: 'TCP Option - Quick-Start', type: 'bytes' },
    'options.ao': { name: 'TCP Option - TCP AO', type: 'bytes' },
    'options.ao.keyid': { name: 'AO KeyID', type: 'u8' },
    'options.ao.rnextkeyid': { name: 'AO RNextKeyID', type: 'u8' },
    'options.ao.mac': { name: 'AO MAC', type: 'bytes' },
    'options.rvbd.probe': { name: 'TCP Option - Riverbed Probe', type: 'bytes' },
    'options.rvbd.trpy': { name: 'TCP Option - Riverbed Transparency', type: 'bytes' },
    analysis: { name: 'SEQ/ACK analysis', type: 'none' },
    'analysis.flags': { name: 'TCP Analysis Flags', type: 'none' },
    'analysis.acks_frame': { name: 'This is an ACK to the segment in frame', type: 'framenum' },
    'analysis.ack_rtt': { name: 'The RTT to ACK the segment was', type: 'rel_time' },
    'analysis.initial_rtt': { name: 'iRTT', type: 'rel_time' },
    'analysis.bytes_in_flight': { name: 'Bytes in flight', type: 'u32' },
    'analysis.push_bytes_sent': { name: 'Bytes sent since last PSH flag', type: 'u32' },
    'analysis.duplicate_ack': { name: 'Duplicate ACK', type: 'none' },
    'analysis.duplicate_ack_num': { name: 'Duplicate ACK #', type: 'u32' },
    'analysis.duplicate_ack_frame': { name: 'Duplicate to the ACK in frame', type: 'framenum' },
    'analysis.rto': { name: 'The RTO for this segment was', type: 'rel_time' },
    'analysis.rto_frame': { name: 'RTO based on delta from frame', type: 'framenum' },
    'analysis.retransmission': { name: 'This frame is a (suspected) retransmission', type: 'none' },
    'analysis.fast_retransmission': { name: 'This frame is a (suspected) fast retransmission', type: 'none' },
    'analysis.spurious_retransmission': {
      name: 'This frame is a (suspected) spurious retransmission',
      type: 'none',
    },
    'analysis.out_of_order': { name: 'This frame is a (suspected) out-of-order segment', type: 'none' },
    'analysis.reused_ports': {
      name: 'A new tcp session is started with the same ports as an earlier session in this trace',
      type: 'none',
    },
    'analysis.lost_segment': {
      name: 'Previous segment(s) not captured (common at capture start)',
      type: 'none',
    },
    'analysis.ack_lost_segment': {
      name: "ACKed segment that wasn't captured (common at capture start)",
      type: 'none',
    },
    'analysis.window_update': { name: 'TCP window update', type: 'none' },
    'analysis.window_full': {
      name: 'TCP window specified by the receiver is now completely full',
      type: 'none',
    },
    'analysis.keep_alive': { name: 'TCP keep-alive segment', type: 'none' },
    'analysis.keep_alive_ack': { name: 'ACK to a TCP keep-alive segment', type: 'none' },
    'analysis.zero_window_probe': { name: 'TCP Zero Window Probe', type: 'none' },
    'analysis.zero_window': { name: 'TCP Zero Window segment', type: 'none' },
    'analysis.zero_window_probe_ack': { name: 'ACK to a TCP Zero Window Probe', type: 'none' },
    'analysis.tfo_syn': { name: 'TCP SYN with TFO Cookie', type: 'none' },
    'analysis.tfo_ack': { name: 'TCP SYN-ACK accepting TFO data', type: 'none' },
    'analysis.tfo_ignored': { name: 'TCP SYN-ACK ignoring TFO data', type: 'none' },
    'connection.syn': { name: 'Connection establish request (SYN)', type: 'none' },
    'connection.synack': { name: 'Connection establish acknowledge (SYN+ACK)', type: 'none' },
    'connection.fin': { name: 'Connection finish (FIN)', type: 'none' },
    'connection.rst': { name: 'Connection reset (RST)', type: 'none' },
    'connection.fin_active': { name: 'This frame initiates the connection closing', type: 'none' },
    'connection.fin_passive': { name: 'This frame undergoes the connection closing', type: 'none' },
    'option.len.invalid': { name: 'Invalid length for option', type: 'none' },
    'options.wscale.shift.invalid': { name: 'Window scale shift exceeds 14', type: 'none' },
    'options.mss.present': { name: 'The non-SYN packet does contain a MSS option', type: 'none' },
    'options.mss.absent': { name: 'The SYN packet does not contain a MSS option', type: 'none' },
    'options.sack.dsack': { name: 'D-SACK Sequence', type: 'none' },
    short_segment: { name: 'Short segment', type: 'none' },
    'ack.nonzero': {
      name: 'The acknowledgment number field is nonzero while the ACK flag is not set',
      type: 'none',
    },
    'urgent_pointer.non_zero': {
      name: 'The urgent pointer field is nonzero while the URG flag is not set',
      type: 'none',
    },
    suboption_malformed: { name: 'suboption would go past end of option', type: 'none' },
    nop: { name: '4 NOP in a row - a router may have removed some options', type: 'none' },
    non_zero_bytes_after_eol: { name: 'Non zero bytes in option space after EOL option', type: 'none' },
    bogus_header_length: { name: 'Bogus TCP Header length', type: 'none' },
    time_relative: { name: 'Time since first frame in this TCP stream', type: 'rel_time' },
    time_delta: { name: 'Time since previous frame in this TCP stream', type: 'rel_time' },
    payload: { name: 'TCP payload', type: 'bytes' },
    segment_data: { name: 'TCP segment data', type: 'bytes' },
    segments: { name: 'Reassembled TCP Segments', type: 'none' },
    segment: { name: 'TCP Segment', type: 'framenum' },
    'segment.count': { name: 'Segment count', type: 'u32' },
    'reassembled.length': { name: 'Reassembled TCP length', type: 'u32' },
    'reassembled.data': { name: 'Reassembled TCP Data', type: 'bytes' },
    reassembled_in: { name: 'Reassembled PDU in frame', type: 'framenum' },
    reset_cause: { name: 'Reset cause', type: 'string' },
  },
);

const F = fields;

/** Wireshark's tcp_flags_to_str names, lowest bit first. */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
const FLAG_LETTERS = 'RRRACEUAPRSF';
const FLAG_FIELDS: readonly FieldDef[] = [
  F['flags.res'],
  F['flags.ae'],
  F['flags.cwr'],
  F['flags.ece'],
  F['flags.urg'],
  F['flags.ack'],
  F['flags.push'],
  F['flags.reset'],
  F['flags.syn'],
  F['flags.fin'],
];

const COMPLETENESS: Record<number, string> = {
  1: 'Incomplete, SYN_SENT',
  3: 'Incomplete, CLIENT_ESTABLISHED',
  7: 'Incomplete, ESTABLISHED',
  15: 'Incomplete, DATA',
  31: 'Complete, WITH_DATA',
  47: 'Complete, WITH_DATA',
  63: 'Complete, WITH_DATA',
  23: 'Complete, NO_DATA',
  39: 'Complete, NO_DATA',
  55: 'Complete, NO_DATA',
};

/**
 * The flag names of the Flags item and the Info column. With `ace` (an AccECN connection past its
 * SYNs) AE, CWR and ECE are one 3-bit counter, shown as "ACE=n" even when no other flag is set.
 */
export function flagsText(flags: number, ace = false): string {
  let s = '';
  const named = ace ? 6 : 9;
  for (let i = 0; i < named; i++) {
    if (flags & (1 << i)) s += (s ? ', ' : '') + FLAG_NAMES[i];
  }
  if (ace) s += `, ACE=${(flags >> 6) & 7}`;
  if (flags & 0xe00) s += (s ? ', ' : '') + 'Reserved';
  return s || '<None>';
}

/** The `tcp.flags.str` picture; with `ace` the AE, CWR and ECE places read "-n-". */
export function flagsLetters(flags: number, ace = false): string {
  let s = '';
  for (let i = 0; i < 12; i++) {
    if (ace && i >= 3 && i <= 5) s += i === 4 ? String((flags >> 6) & 7) : '-';
    else s += (flags >> (11 - i)) & 1 ? FLAG_LETTERS[i] : '\u00b7';
  }
  return s;
}

/** A 12-bit picture, as Wireshark draws the FT_BOOLEAN-12 flag fields. */
function bits12(flags: number, mask: number): string {
  let s = '';
  for (let i = 11; i >= 0; i--) {
    const m = 1 << i;
    s += mask & m ? (flags & m ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

/** What the options say that the rest of the dissection needs (kept across packets, no allocation). */
interface OptionContext {
  /** Start of the TCP header: Wireshark counts NOP alignment from it. */
  start: number;
  seglen: number;
  info: string;
  names: string;
  flags: number;
  relAck: number;
  /** Relative base for SACK edges (the other direction's base sequence number). */
  sackBase: number;
  conv: TcpConv | null;
  fwd: TcpFlow | null;
  firstPass: boolean;
  /** SACK blocks seen in this segment so far (Wireshark's tcph->num_sack_ranges) and the first two. */
  sackBlocks: number;
  sackLeft0: number;
  sackRight0: number;
  sackLeft1: number;
  sackRight1: number;
}

const opt: OptionContext = {
  start: 0,
  seglen: 0,
  info: '',
  names: '',
  flags: 0,
  relAck: 0,
  sackBase: 0,
  conv: null,
  fwd: null,
  firstPass: false,
  sackBlocks: 0,
  sackLeft0: 0,
  sackRight0: 0,
  sackLeft1: 0,
  sackRight1: 0,
};

/**
 * Walks the options as Wireshark's tcp_dissect_options does. With no tree and no columns it only
 * stores what the analysis needs (window scale on the first pass, SACK blocks for bytes in flight).
 */
function dissectOptions(c: Cursor, p: PacketInfo, at: number, length: number): void {
  const tree = c.tree;
  const cols = p.cols;
  let offset = at;
  let remaining = length;
  let nopCount = 0;
  let prevEol = false;
  let mss = false;
  while (remaining > 0) {
    const kind = c.getU8(offset);
    if (prevEol && kind !== 0) {
      // RFC 9293 §3.1: after End of Option List the rest is padding and must be zero.
      if (tree) {
        // Adding an item checks its bytes are there (without a tree, nothing is added or checked).
        c.check(offset, remaining);
        const it = c.label('Non-zero header padding', offset, remaining);
        c.within(it, () =>
          expertItem(c, F.non_zero_bytes_after_eol, 'error', 'protocol', 'Non-zero header padding', offset),
        );
      }
      return;
    }
    if (kind === 0 || kind === 1) {
      const eol = kind === 0;
      if (tree) {
        if (!eol) {
          // Four NOPs inside one 32-bit word: something probably removed an option.
          if (nopCount === 0 || (offset - opt.start) % 4) {
            nopCount++;
            if (nopCount === 4)
              expertItem(
                c,
                F.nop,
                'warn',
                'protocol',
                '4 NOP in a row - a router may have removed some options',
                at,
              );
          } else {
            nopCount = 0;
          }
        }
        const it = c.add(
          eol ? F['options.eol'] : F['options.nop'],
          offset,
          1,
          c.getBytes(offset, 1),
          eol ? 'TCP Option - End of Option List (EOL)' : 'TCP Option - No-Operation (NOP)',
        );
        c.within(it, () => c.add(F.option_kind, offset, 1, kind));
        opt.names += eol ? ', End of Option List (EOL)' : ', No-Operation (NOP)';
      }
      prevEol = eol;
      offset += 1;
      remaining -= 1;
      continue;
    }
    prevEol = false;
    const proto = OPTION_PROTOS[kind];
    const name = proto ? proto[1] : `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
    remaining -= 1;
    if (remaining === 0) {
      if (tree) {
        const msg = `${name} (length byte past end of options)`;
        const it = c.label(msg, offset, 1);
        c.within(it, () => expertItem(c, F['option.len.invalid'], 'note', 'sequence', msg, offset));
      }
      return;
    }
    const optlen = c.getU8(offset + 1);
    remaining -= 1;
    if (optlen < 2) {
      if (tree) {
        const msg = `${name} (with too-short option length = ${optlen} byte${optlen === 1 ? '' : 's'})`;
        const it = c.label(msg, offset, 2);
        c.within(it, () => expertItem(c, F['option.len.invalid'], 'note', 'sequence', msg, offset));
      }
      return;
    }
    if (optlen - 2 > remaining) {
      if (tree) {
        const msg = `${name} (option length = ${optlen} byte${optlen === 1 ? '' : 's'} says option goes past end of options)`;
        c.check(offset, remaining);
        const it = c.label(msg, offset, remaining);
        c.within(it, () => expertItem(c, F['option.len.invalid'], 'note', 'sequence', msg, offset));
      }
      return;
    }
    if (kind === 2) mss = true;
    dissectOption(c, kind, offset, optlen, tree, cols);
    if (tree) opt.names += `, ${name}`;
    offset += optlen;
    remaining -= optlen - 2;
  }
  // Only when the walk reached the end: a bad option or padding above returned before this.
  if (tree && !mss && opt.flags & TH_SYN)
    expertItem(
      c,
      F['options.mss.absent'],
      'note',
      'protocol',
      'The SYN packet does not contain a MSS option',
      at,
    );
}

function lenCheck(c: Cursor, lenAt: number, optlen: number, want: number): boolean {
  if (optlen === want) return true;
  expertItem(c, F['option.len.invalid'], 'note', 'sequence', `option length should be ${want}`, lenAt);
  return false;
}

function dissectOption(
  c: Cursor,
  kind: number,
  at: number,
  optlen: number,
  tree: boolean,
  cols: boolean,
): void {
  const fwd = opt.fwd;
  // What the analysis needs, on every pass and even without a tree.
  if (kind === 3 && optlen === 3) {
    let shift = c.getU8(at + 2);
    if (shift > 14) shift = 14;
    if (opt.firstPass && fwd) fwd.winScale = shift;
    if (cols) opt.info += ` WS=${1 << shift}`;
  } else if (kind === 5 && fwd && opt.firstPass) {
    fwd.numSackRanges = 0;
    let n = 0;
    for (let o = at + 2, left = optlen - 2; left >= 8; o += 8, left -= 8) {
      n++;
      storeSackBlock(fwd, n, (c.getU32(o) - opt.sackBase) >>> 0, (c.getU32(o + 4) - opt.sackBase) >>> 0);
    }
  } else if (opt.firstPass && opt.conv && opt.seglen > 0 && (opt.flags & (TH_SYN | TH_ACK)) === TH_SYN) {
    // A SYN carrying data and a Fast Open cookie: the SYN/ACK will say whether it was accepted.
    const cookie =
      kind === 34 ? optlen > 2 : (kind === 253 || kind === 254) && optlen > 4 && c.getU16(at + 2) === 0xf989;
    if (cookie) opt.conv.tfoSynData = true;
  }
  if (opt.firstPass && opt.conv && accEcnOrder(c, kind, at, optlen) >= 0 && accEcnLengthOk(kind, optlen))
    opt.conv.accEcnOption = true;
  if (!tree) {
    if (cols) optionInfo(c, kind, at, optlen);
    if (kind === 5 && (cols || opt.firstPass)) sackScan(c, at, optlen);
    return;
  }
  // Echo reply shares the echo option's dissector and name in the tree.
  const proto = OPTION_PROTOS[kind === 7 ? 6 : kind];
  const pf = proto
    ? (F[`options.${proto[0]}` as keyof typeof F] ?? F['options.unknown'])
    : F['options.unknown'];
  // Like Wireshark's protocol items, an option's item stops at the end of the captured bytes; what
  // is read past them ends the dissection as truncated.
  const avail = Math.min(optlen, c.end - at);
  const item = c.add(pf, at, avail, c.getBytes(at, avail), pf.name);
  c.within(item, () => {
    if (kind === 2 && !(opt.flags & TH_SYN))
      expertItem(
        c,
        F['options.mss.present'],
        'warn',
        'protocol',
        'The non-SYN packet does contain a MSS option',
        at,
      );
    c.add(F.option_kind, at, 1, kind);
    const lenItem = c.add(F.option_len, at + 1, 1, optlen);
    const lenCheckUnder = (want: number): boolean =>
      c.within(lenItem, () => lenCheck(c, at + 1, optlen, want));
    switch (kind) {
      case 2: {
        if (!lenCheckUnder(4)) break;
        const mss = c.getU16(at + 2);
        c.add(F['options.mss_val'], at + 2, 2, mss);
        if (item) item.label += `: ${mss} bytes`;
        if (cols) opt.info += ` MSS=${mss}`;
        break;
      }
      case 3: {
        if (!lenCheckUnder(3)) break;
        const raw = c.getU8(at + 2);
        const shiftItem = c.add(F['options.wscale.shift'], at + 2, 1, raw);
        const shift = raw > 14 ? 14 : raw;
        if (raw > 14)
          c.within(shiftItem, () =>
            expertItem(
              c,
              F['options.wscale.shift.invalid'],
              'warn',
              'protocol',
              'Window scale shift exceeds 14',
              at + 2,
            ),
          );
        gen(c.add(F['options.wscale.multiplier'], at + 2, 1, 1 << shift, `[Multiplier: ${1 << shift}]`));
        if (item) item.label += `: ${raw} (multiply by ${1 << shift})`;
        break;
      }
      case 4:
        if (cols) opt.info += ' SACK_PERM';
        lenCheckUnder(2);
        break;
      case 5:
        dissectSack(c, item, at, optlen, cols);
        break;
      case 6:
      case 7: {
        if (!lenCheckUnder(6)) break;
        const v = c.getU32(at + 2);
        c.add(F['options.echo_value'], at + 2, 4, v);
        if (item) item.label += `: ${v}`;
        if (cols) opt.info += ` ECHO=${v}`;
        break;
      }
      case 8: {
        if (!lenCheckUnder(10)) break;
        // Each value is shown as it is read (a capture cut inside the option keeps TSval).
        const tsval = c.getU32(at + 2);
        c.add(F['options.timestamp.tsval'], at + 2, 4, tsval);
        const tsecr = c.getU32(at + 6);
        c.add(F['options.timestamp.tsecr'], at + 6, 4, tsecr);
        if (item) item.label += `: TSval ${tsval}, TSecr ${tsecr}`;
        if (cols) opt.info += ` TSval=${tsval} TSecr=${tsecr}`;
        break;
      }
      case 19:
        if (cols) opt.info += ' MD5';
        if (!lenCheckUnder(18)) break;
        c.add(F['options.md5.digest'], at + 2, 16, c.getBytes(at + 2, 16));
        break;
      case 28: {
        if (!lenCheckUnder(4)) break;
        const v = c.getU16(at + 2);
        c.add(
          F['options.user_to_granularity'],
          at + 2,
          2,
          (v & 0x8000) !== 0,
          `${bitsPicture16(v, 0x8000)} = Granularity: ${v & 0x8000 ? 'Minutes' : 'Seconds'}`,
        );
        c.add(
          F['options.user_to_val'],
          at + 2,
          2,
          v & 0x7fff,
          `${bitsPicture16(v, 0x7fff)} = User Timeout: ${v & 0x7fff}`,
        );
        if (cols) opt.info += ` USER_TO=${v & 0x7fff}`;
        break;
      }
      case 29:
        // RFC 5925. Wireshark appends "TCP AO" to Info with no separator.
        if (cols) opt.info += 'TCP AO';
        if (optlen < 4) {
          c.within(lenItem, () =>
            expertItem(
              c,
              F['option.len.invalid'],
              'note',
              'sequence',
              'option length should be >= than 4',
              at + 1,
            ),
          );
          break;
        }
        c.add(F['options.ao.keyid'], at + 2, 1, c.getU8(at + 2));
        c.add(F['options.ao.rnextkeyid'], at + 3, 1, c.getU8(at + 3));
        if (optlen > 4) c.add(F['options.ao.mac'], at + 4, optlen - 4, c.getBytes(at + 4, optlen - 4));
        break;
      case 34:
        fastOpen(c, at, optlen, cols);
        break;
      case 172:
      case 174:
        accEcnOption(c, item, lenItem, kind === 172 ? 0 : 1, at, optlen, 2, cols);
        break;
      case 253:
      case 254: {
        if (optlen - 2 > 0) {
          const exid = c.getU16(at + 2);
          if (exid === 0xacc0 || exid === 0xacc1) {
            if (item) item.label += `: ${EXPERIMENT_IDS[exid]}`;
            accEcnOption(c, item, lenItem, exid & 1, at, optlen, 4, cols);
            break;
          }
          c.add(F['options.experimental.exid'], at + 2, 2, exid);
          if (exid === 0xf989) {
            if (item) item.label += ': Fast Open';
            fastOpen(c, at + 2, optlen - 2, cols);
          } else if (optlen > 4) {
            c.add(F['options.experimental.data'], at + 4, optlen - 4, c.getBytes(at + 4, optlen - 4));
          }
        }
        break;
      }
      default:
        if (optlen > 2)
          c.add(F['options.unknown.payload'], at + 2, optlen - 2, c.getBytes(at + 2, optlen - 2));
        break;
    }
  });
}

/** Info text of the options the Info column mentions, without building a tree. */
function optionInfo(c: Cursor, kind: number, at: number, optlen: number): void {
  switch (kind) {
    case 2:
      if (optlen === 4) opt.info += ` MSS=${c.getU16(at + 2)}`;
      break;
    case 4:
      opt.info += ' SACK_PERM';
      break;
    case 5: {
      for (let o = at + 2, left = optlen - 2; left >= 8; o += 8, left -= 8) {
        opt.info += ` SLE=${(c.getU32(o) - opt.sackBase) >>> 0} SRE=${(c.getU32(o + 4) - opt.sackBase) >>> 0}`;
      }
      break;
    }
    case 6:
    case 7:
      if (optlen === 6) opt.info += ` ECHO=${c.getU32(at + 2)}`;
      break;
    case 8:
      if (optlen === 10) opt.info += ` TSval=${c.getU32(at + 2)} TSecr=${c.getU32(at + 6)}`;
      break;
    case 19:
      opt.info += ' MD5';
      break;
    case 28:
      if (optlen === 4) opt.info += ` USER_TO=${c.getU16(at + 2) & 0x7fff}`;
      break;
    case 34:
      opt.info += optlen === 2 ? ' TFO=R' : optlen > 2 ? ' TFO=C' : '';
      break;
    case 29:
      opt.info += 'TCP AO';
      break;
    case 172:
    case 174:
      if (accEcnLengthOk(kind, optlen))
        accEcnCounters(c, null, kind === 172 ? 0 : 1, at + 2, optlen - 2, true);
      break;
    case 253:
    case 254:
      if (optlen >= 4 && c.getU16(at + 2) === 0xf989)
        opt.info += optlen === 4 ? ' TFO=R' : optlen > 4 ? ' TFO=C' : '';
      else if (accEcnOrder(c, kind, at, optlen) >= 0 && accEcnLengthOk(kind, optlen))
        accEcnCounters(c, null, c.getU16(at + 2) & 1, at + 4, optlen - 4, true);
      break;
    default:
      break;
  }
}

/** The counter order of an AccECN option (kinds 172 and 174, or an RFC 6994 experiment 0xACC0/0xACC1), else -1. */
function accEcnOrder(c: Cursor, kind: number, at: number, optlen: number): number {
  if (kind === 172) return 0;
  if (kind === 174) return 1;
  if ((kind === 253 || kind === 254) && optlen >= 4) {
    const exid = c.getU16(at + 2);
    if (exid === 0xacc0 || exid === 0xacc1) return exid & 1;
  }
  return -1;
}

/** Room for 0 to 3 whole 3-byte counters after the kind, length (and experiment id). */
function accEcnLengthOk(kind: number, optlen: number): boolean {
  const head = kind === 172 || kind === 174 ? 2 : 4;
  return optlen >= head && optlen <= head + 9 && (optlen - head) % 3 === 0;
}

const ACC_ECN_COUNTERS = [
  ['ee0b', 'EE0B'],
  ['eceb', 'ECEB'],
  ['ee1b', 'EE1B'],
] as const;

/**
 * An AccECN option's tree (Wireshark's dissect_tcpopt_acc_ecn): a bad length gets an expert on the
 * Length item and nothing else; otherwise the counters, in the order the option says.
 */
function accEcnOption(
  c: Cursor,
  item: Item | null,
  lenItem: Item | null,
  order: number,
  at: number,
  optlen: number,
  head: number,
  cols: boolean,
): void {
  if (optlen < head || optlen > head + 9 || (optlen - head) % 3 !== 0) {
    const want = head === 2 ? '2, 5, 8, or 11' : '4, 7, 10, or 13';
    c.within(lenItem, () =>
      expertItem(
        c,
        F['option.len.invalid'],
        'note',
        'sequence',
        `option length should be ${want} instead of ${optlen}`,
        at + 1,
      ),
    );
    if (head === 4) c.add(F['options.experimental.exid'], at + 2, 2, c.getU16(at + 2));
    return;
  }
  if (head === 4) {
    c.add(F['options.experimental.exid'], at + 2, 2, c.getU16(at + 2));
    if (item) item.label += ': Accurate ECN';
  }
  accEcnCounters(c, item, order, at + head, optlen - head, cols);
}

/** The counters (tree items when `item` is given) and the Info text: " EE0B=n ..." or " AccECN" when there are none. */
function accEcnCounters(
  c: Cursor,
  item: Item | null,
  order: number,
  at: number,
  len: number,
  cols: boolean,
): void {
  const n = len / 3;
  if (n === 0) {
    if (cols) opt.info += ' AccECN';
    return;
  }
  let label = ` (Order ${order}): `;
  for (let i = 0; i < n; i++) {
    const [name, short] = ACC_ECN_COUNTERS[order === 0 ? i : 2 - i];
    const v = c.getU24(at + 3 * i);
    if (item) c.add(F[`options.acc_ecn.${name}`], at + 3 * i, 3, v);
    label += `${i ? ', ' : ''}${short} ${v}`;
    if (cols) opt.info += ` ${short}=${v}`;
  }
  if (item) item.label += label;
}

function bitsPicture16(v: number, mask: number): string {
  let s = '';
  for (let i = 15; i >= 0; i--) {
    const m = 1 << i;
    s += mask & m ? (v & m ? '1' : '0') : '.';
    if (i % 4 === 0 && i) s += ' ';
  }
  return s;
}

function fastOpen(c: Cursor, at: number, len: number, cols: boolean): void {
  if (len === 2) {
    c.add(F['options.tfo.request'], at, 2, null, 'Fast Open Cookie Request');
    if (cols) opt.info += ' TFO=R';
  } else if (len > 2) {
    const cookie = c.add(F['options.tfo.cookie'], at + 2, len - 2, c.getBytes(at + 2, len - 2));
    if (cols) opt.info += ' TFO=C';
    if ((opt.flags & (TH_SYN | TH_ACK)) === TH_SYN) {
      c.within(cookie, () =>
        expertItem(c, F['analysis.tfo_syn'], 'note', 'sequence', 'TCP SYN with TFO Cookie', at + 2),
      );
    }
  }
}

/** What dissectSack learns about the segment's SACK blocks, without a tree: see its D-SACK check. */
function sackScan(c: Cursor, at: number, optlen: number): void {
  for (let o = at + 2, left = optlen - 2; left >= 8; o += 8, left -= 8) {
    const le = (c.getU32(o) - opt.sackBase) >>> 0;
    const re = (c.getU32(o + 4) - opt.sackBase) >>> 0;
    if (opt.sackBlocks === 0) {
      opt.sackLeft0 = le;
      opt.sackRight0 = re;
    } else if (opt.sackBlocks === 1) {
      opt.sackLeft1 = le;
      opt.sackRight1 = re;
    }
    if (opt.sackBlocks < 4) opt.sackBlocks++;
  }
  if (optlen < 10 && dsack()) throw new ShortRead('malformed', at + (optlen < 6 ? 2 : 6), 4);
}

/** RFC 2883 §4: the first block reports a duplicate when it lies in what is already acknowledged or inside the second. */
function dsack(): boolean {
  const first = opt.sackBlocks > 0 ? opt.sackRight0 : 0;
  return (
    seqLe(first, opt.relAck) ||
    (opt.sackBlocks > 1 && seqLt(opt.sackLeft1, first) && seqGe(opt.sackRight1, first))
  );
}

function dissectSack(c: Cursor, item: Item | null, at: number, optlen: number, cols: boolean): void {
  let o = at + 2;
  let left = optlen - 2;
  let n = 0;
  const suboption = (): void => {
    c.check(o, left);
    const it = c.label('suboption would go past end of option', o, left);
    c.within(it, () =>
      expertItem(c, F.suboption_malformed, 'error', 'malformed', 'suboption would go past end of option', o),
    );
  };
  while (left > 0) {
    if (left < 4) {
      suboption();
      break;
    }
    const le = (c.getU32(o) - opt.sackBase) >>> 0;
    c.add(F['options.sack_le'], o, 4, le, `left edge = ${le} (relative)`);
    left -= 4;
    if (left < 4) {
      suboption();
      break;
    }
    const re = (c.getU32(o + 4) - opt.sackBase) >>> 0;
    left -= 4;
    c.add(F['options.sack_re'], o + 4, 4, re, `right edge = ${re} (relative)`);
    if (cols) opt.info += ` SLE=${le} SRE=${re}`;
    n++;
    // Wireshark keeps the segment's first blocks (across all its SACK options) for the check below.
    if (opt.sackBlocks === 0) {
      opt.sackLeft0 = le;
      opt.sackRight0 = re;
    } else if (opt.sackBlocks === 1) {
      opt.sackLeft1 = le;
      opt.sackRight1 = re;
    }
    if (opt.sackBlocks < 4) opt.sackBlocks++;
    if (item) item.label += ` ${le}-${re}`;
    o += 8;
  }
  gen(c.add(F['options.sack.count'], at, 0, n, `[TCP SACK Count: ${n}]`));
  // Wireshark reads this option's first block again for a D-SACK, even when the option has none:
  // a short option ends the segment as malformed there.
  if (dsack()) {
    if (optlen < 6) throw new ShortRead('malformed', at + 2, 4);
    const le = (c.getU32(at + 2) - opt.sackBase) >>> 0;
    gen(c.add(F['options.sack.dsack_le'], at + 2, 4, le, `[D-SACK Left Edge = ${le} (relative)]`));
    if (optlen < 10) throw new ShortRead('malformed', at + 6, 4);
    const re = (c.getU32(at + 6) - opt.sackBase) >>> 0;
    gen(c.add(F['options.sack.dsack_re'], at + 6, 4, re, `[D-SACK Right Edge = ${re} (relative)]`));
    const it = c.label('D-SACK Sequence', at + 2, 8);
    c.within(it, () => expertItem(c, F['options.sack.dsack'], 'warn', 'sequence', 'D-SACK Sequence', at + 2));
  }
}

/**
 * A segment quoted by an ICMP error belongs to the connection of the quoted IP header's addresses,
 * as in Wireshark, where the quoted IP header sets them (ICMP puts the frame's back afterwards).
 */
export function useQuotedAddresses(c: Cursor, p: PacketInfo, proto: number): void {
  const q = quotedAddresses(c, p, proto);
  p.netType = q.type;
  p.netSrc = q.src;
  p.netDst = q.dst;
}

/** Set by conversationFor: the lookup created the conversation (Wireshark's conversation_is_new). */
let createdNow = false;
/** Set by conversationAt: the segment goes flow1's way (isFlow1). */
let lastFlow1 = false;

/** Finds (or creates) the connection of this segment on the first pass, as dissect_tcp does. */
function conversationFor(s: TcpState, p: PacketInfo, flags: number, seq: number): TcpConv {
  return conversationAt(s, endpointsOfPacket(p), flags, seq, p.frame);
}

/**
 * conversationFor with the addresses read in place: also what the index pass's fast path calls
 * (indexSegment) for a connection that already has a TcpConv, with the lookup it has made.
 */
function conversationAt(
  s: TcpState,
  e: Endpoints,
  flags: number,
  seq: number,
  frame: { number: number; tsSec: number; tsNsec: number },
  found = s.table.findAt(e),
): TcpConv {
  let id = found;
  createdNow = id < 0;
  if (id < 0) id = newConversation(s, e, frame);
  let conv = s.convs[id] ?? fromCompact(s, id, frame);
  const one = (lastFlow1 = isFlow1At(e));
  let fwd = one ? conv.flow1 : conv.flow2;
  // A SYN with a new initial sequence number on a known 4-tuple starts a new connection.
  if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && fwd.baseSet) {
    if (seq !== fwd.baseSeq) {
      conv = s.convs[newConversation(s, e, frame)];
      conv.completeness = 1;
      s.rec.touch();
      s.rec.flags |= TA_REUSED_PORTS;
      fwd = one ? conv.flow1 : conv.flow2;
    } else {
      // RFC 9293 §3.10.7.4: a RST may carry the acknowledged sequence number, so a retransmitted
      // SYN restarts the flow where it was acknowledged (Wireshark issue 17616).
      fwd.nextseq = fwd.maxseqtobeacked;
    }
  }
  // A SYN/ACK with a new initial sequence number answers a new SYN on the same 4-tuple.
  if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && fwd.baseSet && seq !== fwd.baseSeq) {
    fwd.baseSeq = seq;
    s.rec.touch();
    s.rec.flags |= TA_REUSED_PORTS;
  }
  return conv;
}

function newConversation(
  s: TcpState,
  e: Endpoints,
  frame: { number: number; tsSec: number; tsNsec: number },
): number {
  const id = s.table.createAt(e, frame.number);
  s.convs[id] = new TcpConv(id, frame.tsSec, frame.tsNsec);
  return id;
}

/**
 * The index pass's fast path for one whole, unquoted segment (shared/index/fast-path.ts): the
 * stream the dissector's first pass would give it, with what numbering reads (the initial
 * sequence numbers of both flows, packet counts) kept as the dissector keeps it, and nothing of
 * the analysis. A connection the fast path creates gets no TcpConv, only its bases in TcpState's
 * compact arrays; frames left to the dissector share the same TcpState (conversationAt makes the
 * TcpConv from those bases), so stream numbers stay those of one pass in frame order.
 */
export function indexSegment(
  s: TcpState,
  e: Endpoints,
  flags: number,
  seq: number,
  ack: number,
  frame: { number: number; tsSec: number; tsNsec: number; origlen: number },
): number {
  const t = s.table;
  let id = t.findAt(e);
  if (id >= 0 && s.convs[id] !== undefined) {
    s.rec.reset();
    const conv = conversationAt(s, e, flags, seq, frame, id);
    const dir = t.dir;
    const one = lastFlow1;
    setBases(one ? conv.flow1 : conv.flow2, one ? conv.flow2 : conv.flow1, flags, seq, ack);
    t.countPacket(conv.stream, dir, frame.origlen, frame.number, frame.tsSec, frame.tsNsec);
    return conv.stream;
  }
  if (id < 0) id = newCompact(s, e, frame.number);
  const one = isFlow1At(e);
  let fwd = id * 2 + (one ? 0 : 1);
  // As conversationAt: a SYN with a new initial sequence number starts a new connection; a
  // SYN/ACK with one answers it.
  if (flags & TH_SYN && s.baseFlags[fwd] & S_BASE_SEQ_SET && seq !== s.baseSeq[fwd]) {
    if (!(flags & TH_ACK)) {
      id = newCompact(s, e, frame.number);
      fwd = id * 2 + (one ? 0 : 1);
    } else {
      s.baseSeq[fwd] = seq;
    }
  }
  const rev = fwd ^ 1;
  // As setBases.
  if (!(s.baseFlags[fwd] & S_BASE_SEQ_SET)) {
    s.baseSeq[fwd] = flags & TH_SYN ? seq : seq - 1;
    s.baseFlags[fwd] = flags & TH_SYN ? (flags & TH_ACK ? S_SAW_SYNACK : S_SAW_SYN) : S_BASE_SEQ_SET;
  }
  if (flags & TH_ACK && !(s.baseFlags[rev] & S_BASE_SEQ_SET)) {
    s.baseSeq[rev] = ack - 1;
    s.baseFlags[rev] |= S_BASE_SEQ_SET;
  }
  t.countPacket(id, t.dir, frame.origlen, frame.number, frame.tsSec, frame.tsNsec);
  return id;
}

/** A connection numbered by the fast path: a table entry and two compact flow bases, no TcpConv. */
function newCompact(s: TcpState, e: Endpoints, frame: number): number {
  const id = s.table.createAt(e, frame);
  if (id * 2 + 1 >= s.baseSeq.length) {
    s.baseSeq = ensure(s.baseSeq, id * 2 + 1, Uint32Array);
    s.baseFlags = ensure(s.baseFlags, id * 2 + 1, Uint8Array);
  }
  return id;
}

/** The TcpConv of a connection the fast path numbered, made when a dissector first needs it. */
function fromCompact(s: TcpState, id: number, frame: { tsSec: number; tsNsec: number }): TcpConv {
  const conv = (s.convs[id] = new TcpConv(id, frame.tsSec, frame.tsNsec));
  if (id * 2 + 1 < s.baseFlags.length) {
    conv.flow1.baseSeq = s.baseSeq[id * 2];
    conv.flow1.staticFlags = s.baseFlags[id * 2];
    conv.flow2.baseSeq = s.baseSeq[id * 2 + 1];
    conv.flow2.staticFlags = s.baseFlags[id * 2 + 1];
  }
  return conv;
}

/** Whether the segment goes flow1's way: flow1's source address orders first (then its port). */
function isFlow1(p: PacketInfo): boolean {
  return isFlow1At(endpointsOfPacket(p));
}

function isFlow1At(e: Endpoints): boolean {
  const { src, srcAt, dst, dstAt } = e;
  let d = 0;
  for (let i = 0; i < e.len; i++) {
    const a = src[srcAt + i];
    const b = dst[dstAt + i];
    if (a !== b) {
      d = a < b ? -1 : 1;
      break;
    }
  }
  if (d === 0) d = e.sport > e.dport ? 1 : -1;
  return d >= 0;
}

function completenessText(v: number): string {
  return `${COMPLETENESS[v] ?? 'Incomplete'} (${v})`;
}

/**
 * The layer summary so far, for a segment cut short (see endLayer): 0 nothing, 1 the ports, 2 the
 * whole line. Plain numbers, so the hot path builds no string for it.
 */
const partial = { stage: 0, sport: 0, dport: 0, seq: 0, flags: 0, ack: 0, haveSeglen: false, seglen: 0 };

function dissect(c: Cursor, p: PacketInfo): DissectResult {
  const start = c.start;
  const tree = c.tree;
  const cols = p.cols && !p.inError;
  partial.stage = 0;
  const sport = c.getU16(start);
  const dport = c.getU16(start + 2);
  partial.stage = 1;
  partial.sport = sport;
  partial.dport = dport;
  // Only an IPv4 ICMP error quotes as little as 8 bytes: Wireshark shows the raw sequence
  // number first, in case the rest is missing.
  const n = p.protocols.length;
  const icmpIp = p.inError && n >= 3 && p.protocols[n - 2] === 'ip' && p.protocols[n - 3] === 'icmp';
  if (tree) {
    c.add(F.srcport, start, 2, sport);
    c.add(F.dstport, start + 2, 2, dport);
    hide(c.add(F.port, start, 2, sport));
    hide(c.add(F.port, start + 2, 2, dport));
    if (icmpIp) c.add(F.seq, start + 4, 4, c.getU32(start + 4));
  }
  if (cols) {
    p.columns.protocol = 'TCP';
    p.columns.info = `${sport} \u2192 ${dport}`;
  }
  p.ptype = 'tcp';
  p.srcport = sport;
  p.dstport = dport;
  if (p.inError) useQuotedAddresses(c, p, 6);
  const rawSeq = c.getU32(start + 4);
  const rawAck = c.getU32(start + 8);
  const hlen = (c.getU8(start + 12) >> 4) * 4;
  const flags = c.getU16(start + 12) & 0x0fff;
  const win = c.getU16(start + 14);

  const s = tcpState(p.session);
  const rec = s.rec;
  const frame = p.frame.number;
  const layer = tcpLayerIndex(p);
  const firstPass = !p.visited;
  let conv: TcpConv | null = null;
  let isNew = false;
  if (p.netType !== 0 && hasNetAddresses(p)) {
    if (firstPass) {
      rec.reset();
      conv = conversationFor(s, p, flags, rawSeq);
      isNew = createdNow;
    } else {
      const stream = s.frames.load(frame, layer, rec);
      conv = stream >= 0 ? (s.convs[stream] ?? null) : null;
    }
  }
  const one = conv !== null && isFlow1(p);
  const fwd = conv ? (one ? conv.flow1 : conv.flow2) : null;
  const rev = conv ? (one ? conv.flow2 : conv.flow1) : null;
  const ace = conv !== null && accEcn(conv, flags, firstPass);
  if (conv) {
    p.stream = conv.stream;
    if (firstPass) {
      fwd!.numSackRanges = 0;
      // Times relative to the stream (Wireshark keeps these even for a quoted segment).
      rec.tsDeltaNs = nsBetween(p.frame.tsSec, p.frame.tsNsec, conv.prevSec, conv.prevNsec);
      conv.prevSec = p.frame.tsSec;
      conv.prevNsec = p.frame.tsNsec;
    }
    if (tree) {
      gen(c.add(F.stream, start, 0, conv.stream, `[Stream index: ${conv.stream}]`));
      const cc =
        firstPass || frame === conv.firstFrame ? conv.completeness : conv.completeness | conv.firstBits;
      gen(c.add(F.completeness, start, 0, cc, `[Conversation completeness: ${completenessText(cc)}]`));
    }
  }

  // The segment length is unknown for a quoted segment (only part of it may be there).
  const reported = c.declaredEnd - start;
  let haveSeglen = false;
  let seglen = 0;
  let seq = rawSeq;
  let ack = rawAck;
  let window = win;
  let nxtseq = 0;
  if (!p.inError) {
    if (reported < hlen) {
      expertItem(
        c,
        F.short_segment,
        'warn',
        'malformed',
        'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)',
        start,
      );
    } else {
      haveSeglen = true;
      seglen = reported - hlen;
      if (tree) gen(c.add(F.len, start, 0, seglen, `[TCP Segment Len: ${seglen}]`));
      if (conv) {
        if (firstPass)
          analyzeSequence(
            conv,
            fwd!,
            rev!,
            rec,
            frame,
            p.frame.tsSec,
            p.frame.tsNsec,
            rawSeq,
            rawAck,
            seglen,
            flags,
            win,
          );
        seq = (rawSeq - fwd!.baseSeq) >>> 0;
        if (flags & TH_ACK) ack = (rawAck - rev!.baseSeq) >>> 0;
        // SYNs are never scaled (RFC 7323 §2.2).
        if (!(flags & TH_SYN) && fwd!.winScale >= 0) window = win * (1 << fwd!.winScale);
      }
      nxtseq = (seq + seglen) >>> 0;
    }
  }
  if (conv && firstPass && !p.inError)
    s.table.countPacket(conv.stream, s.table.dir, p.frame.origlen, frame, p.frame.tsSec, p.frame.tsNsec);

  partial.stage = 2;
  partial.seq = seq;
  partial.flags = flags;
  partial.ack = ack;
  partial.haveSeglen = haveSeglen;
  partial.seglen = seglen;
  if (cols)
    p.columns.info += ` [${flagsText(flags, ace)}] Seq=${seq}${flags & TH_ACK ? ` Ack=${ack}` : ''} Win=${window}`;
  if (tree && !icmpIp) {
    c.add(F.seq, start + 4, 4, seq, `Sequence Number: ${seq}    (relative sequence number)`);
    c.add(F.seq_raw, start + 4, 4, rawSeq);
  }
  const hdrLenLabel = tree
    ? `${(hlen >> 2).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen >> 2})`
    : '';
  if (hlen < 20) {
    if (cols) p.columns.info += `, bogus TCP header length (${hlen}, must be at least 20)`;
    if (tree) {
      const it = c.add(F.hdr_len, start + 12, 1, hlen, hdrLenLabel);
      c.within(it, () =>
        expertItem(
          c,
          F.bogus_header_length,
          'error',
          'protocol',
          `Bogus TCP header length (${hlen}, must be at least 20)`,
          start + 12,
        ),
      );
    }
    if (conv && firstPass && p.session.revisits) s.frames.store(frame, layer, rec, conv.stream);
    return {
      headerLength: Math.min(c.end - start, 20),
      summary: tree ? summaryText(sport, dport, seq, flags, ack, false, 0, true) : undefined,
      next: null,
    };
  }

  if (conv && firstPass) {
    let bits = 0;
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) bits |= 2;
    if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) bits |= seglen > 0 ? 8 : 4;
    if ((flags & (TH_FIN | TH_ACK)) === (TH_FIN | TH_ACK)) bits |= 16;
    if (flags & TH_RST) bits |= 32;
    if (isNew) {
      conv.firstFrame = frame;
      conv.firstBits = bits;
      if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
        conv.completeness |= 1;
        if (seglen > 0) conv.completeness |= 8; // data on a SYN: TCP Fast Open
      }
    } else {
      conv.completeness |= bits;
    }
  }

  if (tree) {
    if (haveSeglen) {
      const nx = flags & (TH_SYN | TH_FIN) ? (nxtseq + 1) >>> 0 : nxtseq;
      gen(c.add(F.nxtseq, start, 0, nx, `[Next Sequence Number: ${nx}    (relative sequence number)]`));
    }
    const ackItem = c.add(
      F.ack,
      start + 8,
      4,
      ack,
      flags & TH_ACK ? `Acknowledgment Number: ${ack}    (relative ack number)` : undefined,
    );
    c.add(F.ack_raw, start + 8, 4, rawAck);
    if (flags & TH_ACK) {
      if (flags & TH_SYN) {
        if (ack > 1)
          c.within(ackItem, () =>
            expertItem(
              c,
              F['analysis.tfo_ack'],
              'note',
              'sequence',
              'TCP SYN-ACK accepting TFO data',
              start + 8,
            ),
          );
        else if (conv?.tfoSynData)
          c.within(ackItem, () =>
            expertItem(
              c,
              F['analysis.tfo_ignored'],
              'note',
              'sequence',
              'TCP SYN-ACK ignoring TFO data',
              start + 8,
            ),
          );
      }
    } else if (rawAck !== 0) {
      c.within(ackItem, () =>
        expertItem(
          c,
          F['ack.nonzero'],
          'note',
          'protocol',
          'The acknowledgment number field is nonzero while the ACK flag is not set',
          start + 8,
        ),
      );
    }
    c.add(F.hdr_len, start + 12, 1, hlen, hdrLenLabel);
    flagsTree(c, start, flags, sport, dport, rev, ace);
    c.add(F.window_size_value, start + 14, 2, win);
    gen(c.add(F.window_size, start + 14, 2, window, `[Calculated window size: ${window}]`));
    if (!(flags & TH_SYN) && fwd) {
      const ws = fwd.winScale;
      const v = ws === -1 ? -1 : ws === -2 ? -2 : 1 << ws;
      const text = ws === -1 ? '-1 (unknown)' : ws === -2 ? '-2 (no window scaling used)' : String(v);
      gen(c.add(F.window_size_scalefactor, start + 14, 2, v, `[Window size scaling factor: ${text}]`));
    }
  }
  if (conv && firstPass) {
    if (flags & TH_SYN) {
      conv.serverPort = flags & TH_ACK ? sport : dport;
      if (!(flags & TH_ACK)) {
        conv.mruSynSec = p.frame.tsSec;
        conv.mruSynNsec = p.frame.tsNsec;
      }
      fwd!.isFirstAck = true;
    }
    if (flags & TH_FIN && !rev!.closingInitiator) fwd!.closingInitiator = true;
    // The initial RTT: from the latest SYN to the first pure ACK (the end of the handshake).
    if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) {
      if ((conv.mruSynSec !== 0 || conv.mruSynNsec !== 0) && conv.firstRttNs === 0) {
        conv.firstRttNs = nsBetween(p.frame.tsSec, p.frame.tsNsec, conv.mruSynSec, conv.mruSynNsec);
      }
      fwd!.isFirstAck = false;
    }
  }

  const sum = c.getU16(start + 16);
  if (tree) {
    c.add(F.checksum, start + 16, 2, sum, `Checksum: 0x${sum.toString(16).padStart(4, '0')} [unverified]`);
    gen(c.add(F['checksum.status'], start + 16, 0, 2, '[Checksum Status: Unverified]'));
  }
  const urp = c.getU16(start + 18);
  if (tree) {
    const up = c.add(F.urgent_pointer, start + 18, 2, urp);
    if (!(flags & 0x20) && urp)
      c.within(up, () =>
        expertItem(
          c,
          F['urgent_pointer.non_zero'],
          'note',
          'protocol',
          'The urgent pointer field is nonzero while the URG flag is not set',
          start + 18,
        ),
      );
  }
  if (cols) {
    if (flags & 0x20) p.columns.info += ` Urg=${urp}`;
    if (haveSeglen) p.columns.info += ` Len=${seglen}`;
  }

  // The options item comes before the stream timestamps, its contents after them (as in
  // Wireshark, where a bad option can end the dissection with the timestamps already shown).
  const optlen = hlen - 20;
  const avail = Math.max(0, Math.min(optlen, c.end - (start + 20)));
  const optItem =
    tree && optlen > 0
      ? c.add(F.options, start + 20, avail, c.getBytes(start + 20, avail), `Options: (${optlen} bytes)`)
      : null;
  if (tree && conv) {
    const ts = gen(c.label('[Timestamps]', start, 0));
    c.within(ts, () => {
      const rel = nsBetween(p.frame.tsSec, p.frame.tsNsec, conv!.firstSec, conv!.firstNsec);
      gen(
        c.add(
          F.time_relative,
          start,
          0,
          relTime(rel),
          `[Time since first frame in this TCP stream: ${relTimeText(rel)} seconds]`,
        ),
      );
      gen(
        c.add(
          F.time_delta,
          start,
          0,
          relTime(rec.tsDeltaNs),
          `[Time since previous frame in this TCP stream: ${relTimeText(rec.tsDeltaNs)} seconds]`,
        ),
      );
    });
  }
  if (conv && firstPass && p.session.revisits) s.frames.store(frame, layer, rec, conv.stream);
  // The first pass needs window scale and SACK blocks from the options, the Info column their
  // summary; with neither (a later pass without tree or columns) they are not walked at all.
  // NOP, NOP, timestamps (all captured) hold nothing for the analysis: not walked at all then.
  const quiet = start + hlen <= c.end && onlyTimestamps(c.data, start + 20, start + hlen);
  if (optlen > 0 && (tree || cols || (firstPass && conv !== null && !quiet))) {
    opt.start = start;
    opt.seglen = seglen;
    opt.info = '';
    opt.names = '';
    opt.flags = flags;
    opt.relAck = ack;
    opt.sackBase = rev ? rev.baseSeq : 0;
    opt.conv = conv;
    opt.fwd = fwd;
    opt.firstPass = firstPass;
    opt.sackBlocks = 0;
    try {
      // No closure on the fast pass (no tree, so no item to nest under).
      if (optItem) c.within(optItem, () => dissectOptions(c, p, start + 20, optlen));
      else dissectOptions(c, p, start + 20, optlen);
    } finally {
      if (optItem) optItem.label += opt.names;
      if (cols) p.columns.info += opt.info;
    }
  }
  if (firstPass && conv && flags & TH_SYN) verifyWindowScaling((flags & TH_ACK) !== 0, fwd!, rev!);

  if (conv && rec.flags & TA_PRESENT) {
    if (tree) analysisTree(c, conv, rec, start);
    if (cols) p.columns.info = analysisPrefix(rec.flags, rec.dupackFrame, rec.dupackNum) + p.columns.info;
  }

  const payloadAt = start + hlen;
  const captured = c.end - payloadAt;
  let next: DissectResult['next'] = null;
  let more: DissectResult['more'] = null;
  if (captured > 0) {
    if (flags & TH_RST) {
      // RFC 1122 §4.2.2.12: a RST may carry text explaining it.
      if (tree) {
        const text = ascii(c.getBytes(payloadAt, captured));
        c.add(F.reset_cause, payloadAt, captured, text, `Reset cause: ${showText(text)}`);
      }
    } else {
      const nbytes = c.declaredEnd - payloadAt;
      if (tree)
        c.add(
          F.payload,
          payloadAt,
          captured,
          c.getBytes(payloadAt, captured),
          `TCP payload (${nbytes} byte${nbytes === 1 ? '' : 's'})`,
        );
      if (conv && rec.flags & TA_RETRANSMISSION && tree)
        c.add(
          F.segment_data,
          payloadAt,
          captured,
          c.getBytes(payloadAt, captured),
          `Retransmitted TCP segment data (${nbytes} byte${nbytes === 1 ? '' : 's'})`,
        );
      if (!conv || p.inError) {
        // No stream to reassemble (a segment quoted by ICMP): the payload goes on as it is.
        next = { table: 'tcp.port', keys: [sport, dport], offset: payloadAt };
      } else {
        const cut = firstPass
          ? feedSegment(
              p,
              segmentIn(conv, one, fwd!, flags, rawSeq, rawAck, nbytes, captured, sport, dport),
              c.data,
              payloadAt,
              c.source === 0,
            )
          : null;
        const h = payloadHints(c, p, cut, REASSEMBLY_FIELDS, {
          stream: conv.stream,
          flow1: one,
          at: payloadAt,
          captured,
        });
        next = h.next;
        more = h.more;
        if (h.segmentOnly && cols) p.columns.info += ' [TCP segment of a reassembled PDU]';
      }
    }
  } else if (conv && !p.inError) {
    // No payload: a FIN or RST still ends its direction (a PDU read until close completes), and
    // an ACK may prove a hole of the other direction lost, so that what waited behind it completes
    // PDUs here; later visits find them in the frame's record.
    let cut: readonly CutPdu[] | null = null;
    if (firstPass && flags & (TH_FIN | TH_RST))
      cut = feedSegment(
        p,
        segmentIn(conv, one, fwd!, flags, rawSeq, rawAck, 0, 0, sport, dport),
        c.data,
        payloadAt,
        c.source === 0,
      );
    else if (firstPass && flags & TH_ACK) cut = noteAck(p, conv.stream, one, rawAck);
    if (!firstPass || cut?.length) {
      const h = payloadHints(c, p, cut, REASSEMBLY_FIELDS, {
        stream: conv.stream,
        flow1: one,
        at: payloadAt,
        captured: 0,
      });
      next = h.next;
      more = h.more;
    }
  }
  return {
    headerLength: hlen,
    summary: tree ? summaryText(sport, dport, seq, flags, ack, haveSeglen, seglen, false) : undefined,
    next,
    more,
  };
}

/**
 * Whether the options d[at, end) are exactly NOP, NOP, timestamps (nearly every segment of a
 * modern stack): nothing the analysis keeps, and nothing the dissector notes.
 */
export function onlyTimestamps(d: Uint8Array, at: number, end: number): boolean {
  return end - at === 12 && d[at] === 1 && d[at + 1] === 1 && d[at + 2] === 8 && d[at + 3] === 10;
}

/**
 * Whether the segment's AE, CWR and ECE bits are AccECN's ACE counter (RFC 9768 §3.2.2), as
 * Wireshark decides it: never on a SYN; otherwise when the handshake negotiated AccECN (a SYN with
 * all three set, then a SYN/ACK with 010, 011, 100 or 110) or a segment of the connection carried
 * a well-formed AccECN option. Like Wireshark, the first pass knows what came before the segment,
 * a revisit what the whole capture showed (so the segment with the first option reads as ACE
 * there, as it does in tshark -2).
 */
function accEcn(conv: TcpConv, flags: number, firstPass: boolean): boolean {
  if (flags & TH_SYN) {
    if (!firstPass) return false;
    const ecn = (flags >> 6) & 7;
    if (!(flags & TH_ACK)) {
      if (ecn === 7) conv.accEcnSyn = true;
    } else if (conv.accEcnSyn && (ecn === 2 || ecn === 3 || ecn === 4 || ecn === 6)) {
      conv.accEcnSynAck = true;
    }
    return false;
  }
  return (conv.accEcnSyn && conv.accEcnSynAck) || conv.accEcnOption;
}

function flagsTree(
  c: Cursor,
  start: number,
  flags: number,
  sport: number,
  dport: number,
  rev: TcpFlow | null,
  ace: boolean,
): void {
  const fl = c.add(
    F.flags,
    start + 12,
    2,
    flags,
    `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagsText(flags, ace)})`,
  );
  c.within(fl, () => {
    for (let i = 0; i < FLAG_FIELDS.length; i++) {
      const f = FLAG_FIELDS[i];
      if (ace && i >= 1 && i <= 3) {
        if (i === 1)
          c.add(
            F['flags.ace'],
            start + 12,
            2,
            (flags >> 6) & 7,
            `${bits12(flags, 0x1c0)} = ACE: ${(flags >> 6) & 7}`,
          );
        continue;
      }
      const set = (flags & f.mask) !== 0;
      const it = c.add(
        f,
        start + (i < 2 ? 12 : 13),
        1,
        set,
        `${bits12(flags, f.mask)} = ${f.name}: ${set ? 'Set' : 'Not set'}`,
      );
      if (!set) continue;
      if (f === F['flags.syn']) {
        c.within(it, () =>
          flags & TH_ACK
            ? expertItem(
                c,
                F['connection.synack'],
                'chat',
                'sequence',
                `Connection establish acknowledge (SYN+ACK): server port ${sport}`,
                start + 13,
              )
            : expertItem(
                c,
                F['connection.syn'],
                'chat',
                'sequence',
                `Connection establish request (SYN): server port ${dport}`,
                start + 13,
              ),
        );
      } else if (f === F['flags.fin']) {
        c.within(it, () =>
          expertItem(c, F['connection.fin'], 'chat', 'sequence', 'Connection finish (FIN)', start + 13),
        );
      } else if (f === F['flags.reset']) {
        c.within(it, () =>
          expertItem(c, F['connection.rst'], 'warn', 'sequence', 'Connection reset (RST)', start + 13),
        );
      }
    }
    const letters = flagsLetters(flags, ace);
    const str = gen(c.add(F['flags.str'], start + 12, 2, letters, `[TCP Flags: ${letters}]`));
    if (flags & TH_FIN && rev) {
      c.within(str, () =>
        rev.closingInitiator
          ? expertItem(
              c,
              F['connection.fin_passive'],
              'note',
              'sequence',
              'This frame undergoes the connection closing',
              start + 12,
            )
          : expertItem(
              c,
              F['connection.fin_active'],
              'note',
              'sequence',
              'This frame initiates the connection closing',
              start + 12,
            ),
      );
    }
  });
}

/** ASCII text as Wireshark reads it (ENC_ASCII): bytes past 0x7f become U+FFFD, a NUL ends it. */
function ascii(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && b[i] !== 0; i++) s += b[i] < 0x80 ? String.fromCharCode(b[i]) : '\ufffd';
  return s;
}

const ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Text as Wireshark's tree shows it (format_text): control characters escaped, C style. */
function showText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x20 && ch !== 0x7f) out += s[i];
    else out += ESCAPES[ch] ?? `\\${ch.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function summaryText(
  sport: number,
  dport: number,
  seq: number,
  flags: number,
  ack: number,
  haveSeglen: boolean,
  seglen: number,
  bogus: boolean,
): string {
  let s = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${seq}`;
  if (bogus) return s;
  if (flags & TH_ACK) s += `, Ack: ${ack}`;
  if (haveSeglen) s += `, Len: ${seglen}`;
  return s;
}

/** How many TCP layers this frame had before this one (tunnels can carry several). */
function tcpLayerIndex(p: PacketInfo): number {
  let n = -1;
  for (let i = 0; i < p.protocols.length; i++) if (p.protocols[i] === 'tcp') n++;
  return n < 0 ? 0 : n;
}

/**
 * The Info prefixes. Wireshark prepends them one at a time in the order below, each in front of
 * the previous, so they read in the reverse order.
 */
export function analysisPrefix(flags: number, dupFrame: number, dupNum: number): string {
  if (!(flags & 0x7fff)) return '';
  const printed: string[] = [];
  const add = (bit: number, text: string): void => {
    if (flags & bit) printed.push(text);
  };
  add(TA_REUSED_PORTS, '[TCP Port numbers reused] ');
  add(TA_RETRANSMISSION, '[TCP Retransmission] ');
  add(TA_FAST_RETRANSMISSION, '[TCP Fast Retransmission] ');
  add(TA_SPURIOUS_RETRANSMISSION, '[TCP Spurious Retransmission] ');
  add(TA_OUT_OF_ORDER, '[TCP Out-Of-Order] ');
  add(TA_LOST_PACKET, '[TCP Previous segment not captured] ');
  add(TA_ACK_LOST_PACKET, '[TCP ACKed unseen segment] ');
  add(TA_WINDOW_UPDATE, '[TCP Window Update] ');
  add(TA_WINDOW_FULL, '[TCP Window Full] ');
  add(TA_KEEP_ALIVE, '[TCP Keep-Alive] ');
  add(TA_KEEP_ALIVE_ACK, '[TCP Keep-Alive ACK] ');
  if (dupNum && flags & TA_DUPLICATE_ACK) printed.push(`[TCP Dup ACK ${dupFrame}#${dupNum}] `);
  add(TA_ZERO_WINDOW_PROBE, '[TCP ZeroWindowProbe] ');
  add(TA_ZERO_WINDOW, '[TCP ZeroWindow] ');
  add(TA_ZERO_WINDOW_PROBE_ACK, '[TCP ZeroWindowProbeAck] ');
  let out = '';
  for (let i = printed.length - 1; i >= 0; i--) out += printed[i];
  return out;
}

function analysisTree(c: Cursor, conv: TcpConv, r: TcpRecord, at: number): void {
  const a = gen(c.add(F.analysis, at, 0, null, '[SEQ/ACK analysis]'));
  c.within(a, () => {
    if (r.frameAcked) {
      gen(
        c.add(
          F['analysis.acks_frame'],
          at,
          0,
          r.frameAcked,
          `[This is an ACK to the segment in frame: ${r.frameAcked}]`,
        ),
      );
      if (r.ackRttNs)
        gen(
          c.add(
            F['analysis.ack_rtt'],
            at,
            0,
            relTime(r.ackRttNs),
            `[The RTT to ACK the segment was: ${relTimeText(r.ackRttNs)} seconds]`,
          ),
        );
    }
    if (conv.firstRttNs)
      gen(
        c.add(
          F['analysis.initial_rtt'],
          at,
          0,
          relTime(conv.firstRttNs),
          `[iRTT: ${relTimeText(conv.firstRttNs)} seconds]`,
        ),
      );
    if (r.bytesInFlight) {
      gen(
        c.add(F['analysis.bytes_in_flight'], at, 0, r.bytesInFlight, `[Bytes in flight: ${r.bytesInFlight}]`),
      );
      gen(
        c.add(
          F['analysis.push_bytes_sent'],
          at,
          0,
          r.pushBytesSent,
          `[Bytes sent since last PSH flag: ${r.pushBytesSent}]`,
        ),
      );
    }
    const flags = r.flags & 0x7fff;
    if (!flags) return;
    const fl = gen(c.add(F['analysis.flags'], at, 0, null, '[TCP Analysis Flags]'));
    const note = (bit: number, f: FieldDef, sev: Severity, msg: string): void => {
      if (flags & bit) expertItem(c, f, sev, 'sequence', msg, at);
    };
    const retrans = (): void =>
      expertItem(
        c,
        F['analysis.retransmission'],
        'note',
        'sequence',
        'This frame is a (suspected) retransmission',
        at,
      );
    c.within(fl, () => {
      note(
        TA_REUSED_PORTS,
        F['analysis.reused_ports'],
        'note',
        'A new tcp session is started with the same ports as an earlier session in this trace',
      );
      if (flags & TA_RETRANSMISSION) {
        retrans();
        if (r.rtoNs) {
          gen(
            c.add(
              F['analysis.rto'],
              at,
              0,
              relTime(r.rtoNs),
              `[The RTO for this segment was: ${relTimeText(r.rtoNs)} seconds]`,
            ),
          );
          gen(
            c.add(
              F['analysis.rto_frame'],
              at,
              0,
              r.rtoFrame,
              `[RTO based on delta from frame: ${r.rtoFrame}]`,
            ),
          );
        }
      }
      if (flags & TA_FAST_RETRANSMISSION) {
        expertItem(
          c,
          F['analysis.fast_retransmission'],
          'note',
          'sequence',
          'This frame is a (suspected) fast retransmission',
          at,
        );
        retrans();
      }
      if (flags & TA_SPURIOUS_RETRANSMISSION) {
        expertItem(
          c,
          F['analysis.spurious_retransmission'],
          'note',
          'sequence',
          'This frame is a (suspected) spurious retransmission',
          at,
        );
        retrans();
      }
      note(
        TA_OUT_OF_ORDER,
        F['analysis.out_of_order'],
        'warn',
        'This frame is a (suspected) out-of-order segment',
      );
      note(
        TA_LOST_PACKET,
        F['analysis.lost_segment'],
        'warn',
        'Previous segment(s) not captured (common at capture start)',
      );
      note(
        TA_ACK_LOST_PACKET,
        F['analysis.ack_lost_segment'],
        'warn',
        "ACKed segment that wasn't captured (common at capture start)",
      );
      note(TA_WINDOW_UPDATE, F['analysis.window_update'], 'chat', 'TCP window update');
      note(
        TA_WINDOW_FULL,
        F['analysis.window_full'],
        'warn',
        'TCP window specified by the receiver is now completely full',
      );
      note(TA_KEEP_ALIVE, F['analysis.keep_alive'], 'note', 'TCP keep-alive segment');
      note(TA_KEEP_ALIVE_ACK, F['analysis.keep_alive_ack'], 'note', 'ACK to a TCP keep-alive segment');
      if (r.dupackNum && flags & TA_DUPLICATE_ACK)
        gen(c.add(F['analysis.duplicate_ack'], at, 0, null, '[This is a TCP duplicate ack]'));
    });
    // The duplicate ACK number and frame sit beside the flags, not under them.
    if (r.dupackNum) {
      gen(c.add(F['analysis.duplicate_ack_num'], at, 0, r.dupackNum, `[Duplicate ACK #: ${r.dupackNum}]`));
      const df = gen(
        c.add(
          F['analysis.duplicate_ack_frame'],
          at,
          0,
          r.dupackFrame,
          `[Duplicate to the ACK in frame: ${r.dupackFrame}]`,
        ),
      );
      c.within(df, () =>
        expertItem(c, F['analysis.duplicate_ack'], 'note', 'sequence', `Duplicate ACK (#${r.dupackNum})`, at),
      );
    }
    c.within(fl, () => {
      note(TA_ZERO_WINDOW_PROBE, F['analysis.zero_window_probe'], 'note', 'TCP Zero Window Probe');
      note(TA_ZERO_WINDOW, F['analysis.zero_window'], 'warn', 'TCP Zero Window segment');
      note(
        TA_ZERO_WINDOW_PROBE_ACK,
        F['analysis.zero_window_probe_ack'],
        'note',
        'ACK to a TCP Zero Window Probe',
      );
    });
  });
}

/** The segment as the reassembly takes it (one object, rewritten per call: it keeps none). */
const SEG: SegmentIn = {
  stream: 0,
  flow1: false,
  seq: 0,
  length: 0,
  captured: 0,
  syn: false,
  fin: false,
  rst: false,
  ack: -1,
  sport: 0,
  dport: 0,
  start: -1,
  fromClient: null,
};

function segmentIn(
  conv: TcpConv,
  one: boolean,
  fwd: TcpFlow,
  flags: number,
  rawSeq: number,
  rawAck: number,
  length: number,
  captured: number,
  sport: number,
  dport: number,
): SegmentIn {
  const s = SEG;
  s.stream = conv.stream;
  s.flow1 = one;
  s.syn = (flags & TH_SYN) !== 0;
  s.seq = s.syn ? (rawSeq + 1) >>> 0 : rawSeq;
  s.length = length;
  s.captured = captured;
  s.fin = (flags & TH_FIN) !== 0;
  s.rst = (flags & TH_RST) !== 0;
  s.ack = flags & TH_ACK ? rawAck : -1;
  s.sport = sport;
  s.dport = dport;
  // Wireshark's base sequence number is the SYN's (or the first segment's minus one): the
  // direction's first payload byte is the next one, whether or not its segment was captured.
  s.start = fwd.baseSet ? (fwd.baseSeq + 1) >>> 0 : -1;
  // The SYN set serverPort: the client is the other port (unknown when both ports are equal).
  s.fromClient = conv.serverPort && sport !== dport ? sport !== conv.serverPort : null;
  return s;
}

const REASSEMBLY_FIELDS: ReassemblyFields = {
  segments: F.segments,
  segment: F.segment,
  count: F['segment.count'],
  length: F['reassembled.length'],
  data: F['reassembled.data'],
  reassembledIn: F.reassembled_in,
  segmentData: F.segment_data,
};

export const dissectors: readonly Dissector[] = [
  {
    fields: F,
    pdu: 'segment',
    in: { 'ip.proto': 6 },
    dissect(c, p) {
      try {
        return dissect(c, p);
      } catch (e) {
        // A quoted segment cut short just ends, as in Wireshark (no malformed mark).
        if (p.inError && e instanceof ShortRead) {
          const summary = c.has(4, c.start)
            ? `Transmission Control Protocol, Src Port: ${c.getU16(c.start)}, Dst Port: ${c.getU16(c.start + 2)}`
            : undefined;
          return { next: null, summary };
        }
        // Cut short after the header was read: the summary keeps what Wireshark had written.
        if (c.tree && e instanceof ShortRead && partial.stage > 0) {
          endLayer(c, p, e, 'TCP');
          const q = partial;
          const summary =
            q.stage === 1
              ? `Transmission Control Protocol, Src Port: ${q.sport}, Dst Port: ${q.dport}`
              : summaryText(q.sport, q.dport, q.seq, q.flags, q.ack, q.haveSeglen, q.seglen, false);
          return { next: null, summary };
        }
        throw e;
      }
    },
  },
];
