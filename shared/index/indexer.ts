// The index pass: a capture sink that runs the engine's first pass on every packet, in order, and
// writes one index record per packet. This is the hot path of opening a file (a million packets
// should take about a second), so per packet it only reads what the first pass already left in
// the PacketInfo and does no string work.
//
// The pass is Wireshark's first pass: tree and columns off, `visited` false, state for later
// visits (TCP analysis, stream ids, reassembly) recorded in the session. `session.lastVisited`
// moves with it, so a frame already indexed can be dissected again (a visible row, a selection)
// while the pass is still running.
import type {
  CaptureInfo,
  CapturePacket,
  CaptureSink,
  CaptureWarning,
  InterfaceInfo,
  InterfaceStats,
  NameRecord,
  PacketSlot,
  SecretsRecord,
} from '../capture/types';
import { slotData } from '../capture/types';
import { tcpStreamsWithPackets, udpStreamsWithPackets } from '../conversations';
import { SEVERITY_RANK, type Engine, type FirstPass } from '../dissect/engine';
import type { FrameMeta, Session } from '../dissect/packet';
import type { Dissection } from '../dissect/types';
import { ChainTrie } from './chains';
import { IndexFastPath } from './fast-path';
import { AddrKind } from './intern';
import { BLOCK_SIZE, PacketFlag, PacketIndex, SEVERITY_SHIFT } from './packet-index';

/** Capture-wide facts gathered on the index pass (what `info` prints). */
export interface CaptureSummary {
  /** The file header (pcap) or the first section header (pcapng). */
  info: CaptureInfo | null;
  /** Every section's header, in order (pcapng files may hold several). */
  sections: CaptureInfo[];
  interfaces: InterfaceInfo[];
  /** Packets per interface, in `interfaces` order. */
  interfacePackets: number[];
  stats: InterfaceStats[];
  warnings: CaptureWarning[];
  packets: number;
  /** Earliest and latest timestamps (capinfos takes min and max, not first and last). */
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  /** Timestamps never go backwards. */
  strictOrder: boolean;
  /** Sum of captured lengths. */
  dataBytes: number;
  /** Sum of original (on the wire) lengths. */
  wireBytes: number;
  /** Packets cut short by the snaplen (caplen < origlen). */
  truncated: number;
  /** Packets with a malformed layer. */
  malformed: number;
  /** Packet comments. */
  packetComments: number;
  /**
   * TCP streams and UDP conversations that carried packets of their own, as tshark's
   * `-z conv,tcp` / `-z conv,udp` list them (a stream that only a packet quoted inside an ICMP
   * error touched is numbered, but has no row there). Live counts during the pass come from
   * the stream ids; `finish()` sets the final ones from shared/conversations.
   */
  tcpStreams: number;
  udpStreams: number;
  nameRecords: number;
  secrets: number;
}

/** What the per-packet bookkeeping reads: a CapturePacket or a reader's PacketSlot. */
type PacketHead = Omit<CapturePacket, 'data'>;

/** Decimal digits a timestamp resolution needs (1e6 → 6, 1e9 → 9, 2^20 → 7), at most 9. */
export function precisionDigits(ticksPerSecond: number): number {
  if (!(ticksPerSecond > 1)) return 0;
  return Math.min(9, Math.ceil(Math.log10(ticksPerSecond) - 1e-9));
}

export class Indexer implements CaptureSink {
  readonly summary: CaptureSummary = {
    info: null,
    sections: [],
    interfaces: [],
    interfacePackets: [],
    stats: [],
    warnings: [],
    packets: 0,
    firstSec: 0,
    firstNsec: 0,
    lastSec: 0,
    lastNsec: 0,
    strictOrder: true,
    dataBytes: 0,
    wireBytes: 0,
    truncated: 0,
    malformed: 0,
    packetComments: 0,
    tcpStreams: 0,
    udpStreams: 0,
    nameRecords: 0,
    secrets: 0,
  };
  /** Interfaces by section, then id within the section (how packets name them), as summary indexes. */
  private readonly bySection: number[][] = [];
  private prevSec = -Infinity;
  private prevNsec = 0;
  private defaultDigits = 6;
  /** Time precision of each interface (summary order), worked out once. */
  private readonly digits: number[] = [];
  /** Each packet's protocol chain as an id (index.proto). */
  private readonly chains: ChainTrie;
  /** Made on the first `transportPacket`. */
  private fast: IndexFastPath | null = null;
  /**
   * Set, the application pass (`indexPacket`) also collects each frame's application messages
   * and hands every record to this once it is written, with the engine's FirstPass (its
   * `messages`, its layers). A `messages` run reads them instead of dissecting frames again.
   */
  afterRecord: ((i: number, pass: FirstPass) => void) | null = null;
  /** The frame metadata `indexPacket` hands the engine, rewritten per packet. */
  private readonly meta: FrameMeta = {
    number: 0,
    tsSec: 0,
    tsNsec: 0,
    caplen: 0,
    origlen: 0,
    linktype: 0,
    ifid: 0,
    comment: undefined,
  };

  constructor(
    readonly engine: Engine,
    readonly session: Session,
    readonly index: PacketIndex = new PacketIndex(),
  ) {
    const idx = this.index;
    this.chains = new ChainTrie(idx.protocols);
    session.prevTs = (n) => (n > 1 && n - 2 < idx.count ? [idx.tsSec(n - 2), idx.tsNsec(n - 2)] : null);
  }

  info(info: CaptureInfo): void {
    // pcapng readers announce every section; the first header describes the file.
    this.summary.info ??= info;
    this.session.interfaceIds = info.format === 'pcapng';
    this.summary.sections.push(info);
    if (info.tsDigits !== undefined) this.defaultDigits = info.tsDigits;
  }

  iface(i: InterfaceInfo): void {
    const section = (this.bySection[i.section] ??= []);
    section[i.id] = this.summary.interfaces.length;
    this.digits.push(precisionDigits(i.tsPerSecond));
    this.summary.interfaces.push(i);
    this.summary.interfacePackets.push(0);
  }

  stats(s: InterfaceStats): void {
    this.summary.stats.push(s);
  }

  warning(w: CaptureWarning): void {
    this.summary.warnings.push(w);
  }

  names(records: NameRecord[]): void {
    this.summary.nameRecords += records.length;
  }

  secrets(_s: SecretsRecord): void {
    this.summary.secrets++;
  }

  /**
   * The first pass over one packet, as a reader's sink: the application pass's index record.
   * The engine's `index` builds no Dissection; what the record needs is read from its FirstPass
   * and PacketInfo.
   */
  indexPacket(p: CapturePacket): void {
    const i = this.begin(p);
    this.dissectRecord(i, p, p.data, false);
    this.end(i, p);
    this.afterRecord?.(i, this.engine.pass);
    this.session.endFrame();
  }

  /** `indexPacket` for a packet handed over in a reader's slot (its bytes a view, no packet object). */
  indexSlot(slot: PacketSlot): void {
    const i = this.begin(slot);
    this.dissectRecord(i, slot, slotData(slot), false);
    this.end(i, slot);
    this.afterRecord?.(i, this.engine.pass);
    this.session.endFrame();
  }

  /**
   * A packet another thread's pass dissects (a share of a parallel pass): it is counted, and
   * gets its frame number and a record with what the reader knows, but is not dissected.
   */
  skipPacket(p: PacketHead): void {
    this.end(this.begin(p), p);
  }

  /**
   * The index pass proper (docs/decisions/index-pass-split.md): link to transport layers only,
   * through the fast path where the headers allow, else through the engine, which should then be
   * a transport engine (createTransportEngine). Expert severities are left out: the TCP analysis
   * behind most of them is the application pass's work, and the fast path does none.
   * `fastPath` false dissects every packet (what tests compare the fast path with).
   */
  transportPacket(p: CapturePacket, fastPath = true): void {
    const i = this.begin(p);
    if (!fastPath || !this.fastRecord(i, p, p.data, 0)) this.dissectRecord(i, p, p.data, true);
    this.end(i, p);
  }

  /** `transportPacket` for a packet handed over in a reader's slot (no allocation on the fast path). */
  transportSlot(slot: PacketSlot): void {
    const i = this.begin(slot);
    if (!this.fastRecord(i, slot, slot.buf, slot.at)) this.dissectRecord(i, slot, slotData(slot), true);
    this.end(i, slot);
  }

  /** A reader sink for the index pass: every callback forwarded, packets to `transportPacket`/`transportSlot`. */
  transportSink(): CaptureSink {
    return { ...this.sink((p) => this.transportPacket(p)), packetAt: (s) => this.transportSlot(s) };
  }

  private fastRecord(i: number, p: PacketHead, bytes: Uint8Array, at: number): boolean {
    const fast = (this.fast ??= new IndexFastPath(this.session, this.index, this.chains));
    return fast.record(i, bytes, at, p.caplen, p.linktype, this.metaOf(i, p));
  }

  /** The frame metadata of packet i, in the one FrameMeta this indexer rewrites per packet. */
  private metaOf(i: number, p: PacketHead): FrameMeta {
    const meta = this.meta;
    meta.number = i + 1;
    meta.tsSec = p.tsSec;
    meta.tsNsec = p.tsNsec;
    meta.caplen = p.caplen;
    meta.origlen = p.origlen;
    meta.linktype = p.linktype;
    meta.ifid = p.ifid;
    meta.comment = p.comment;
    return meta;
  }

  /**
   * Dissects packet i and records what the first pass found. For the index pass (`transport`)
   * the record has no expert severity and its protocol chain stops at the last link-to-transport
   * layer: whether a TCP payload is shown as `data` at all depends on the sequence analysis
   * (retransmitted data goes to no subdissector), which the fast path does not run.
   */
  private dissectRecord(i: number, p: PacketHead, data: Uint8Array, transport: boolean): void {
    const r = this.engine.index(
      data,
      this.metaOf(i, p),
      this.session,
      !transport && this.afterRecord !== null,
    );
    let tcpFlags = 0;
    for (let k = r.depth - 1; k >= 0; k--) {
      if (r.protos[k] !== 'tcp') continue;
      tcpFlags = tcpFlagsAt(r.data[k], r.offsets[k]);
      break;
    }
    let net = 0;
    const chains = this.chains;
    chains.start();
    const depth = transport && r.depth > 0 && r.protos[r.depth - 1] === 'data' ? r.depth - 1 : r.depth;
    let l4 = 0;
    for (let k = 0; k < depth; k++) {
      const proto = r.protos[k];
      chains.step(proto);
      if (proto === 'ip' || proto === 'ipv6') net++;
      else if (proto === 'tcp' || proto === 'udp') l4++;
    }
    this.record(i, tcpFlags, transport ? 0 : r.severity, r.malformed, chains.id(), net > 1 || l4 > 1);
  }

  /**
   * The first pass over one packet with a Dissection to show for it. Tree and columns are off on
   * the index pass (use `indexPacket`, which is the same pass without building one); a caller
   * that prints as it reads (tshark's single pass: `list`, `fields`) turns them on and gets the
   * dissection back, so each packet is dissected once, unvisited, as tshark does.
   */
  packet(p: CapturePacket, tree = false, cols = false): Dissection {
    const i = this.begin(p);
    const meta: FrameMeta = {
      number: i + 1,
      tsSec: p.tsSec,
      tsNsec: p.tsNsec,
      caplen: p.caplen,
      origlen: p.origlen,
      linktype: p.linktype,
      ifid: p.ifid,
    };
    if (p.comment !== undefined) meta.comment = p.comment;
    const d = this.engine.dissect(p.data, meta, this.session, tree, cols);
    const layers = d.layers;
    let severity = 0;
    let malformed = false;
    let net = 0;
    let transport = 0;
    const chains = this.chains;
    chains.start();
    for (let k = 0; k < layers.length; k++) {
      const l = layers[k];
      chains.step(l.proto);
      if (l.proto === 'ip' || l.proto === 'ipv6') net++;
      else if (l.proto === 'tcp' || l.proto === 'udp') transport++;
      if (l.malformed) malformed = true;
      const ex = l.experts;
      for (let e = 0; e < ex.length; e++) {
        const rank = SEVERITY_RANK[ex[e].severity];
        if (rank > severity) severity = rank;
      }
    }
    this.record(i, tcpFlagsOf(d, p.data), severity, malformed, chains.id(), net > 1 || transport > 1);
    this.end(i, p);
    return d;
  }

  /** Adds the packet's index record; the summary's per-packet counts. Returns its index. */
  private begin(p: PacketHead): number {
    const index = this.index;
    const at = this.bySection[p.section ?? 0]?.[p.ifid];
    const digits = at === undefined ? this.defaultDigits : this.digits[at];
    const i = index.add(
      p.dataOffset,
      p.tsSec,
      p.tsNsec,
      p.caplen,
      p.origlen,
      index.linkId(p.ifid, p.linktype, digits),
    );
    if (at !== undefined) this.summary.interfacePackets[at]++;
    if (p.comment !== undefined) {
      index.setComment(i, p.comment);
      this.summary.packetComments += p.comments?.length ?? 1;
    }
    return i;
  }

  private end(i: number, p: PacketHead): void {
    const s = this.summary;
    this.session.lastVisited = i + 1;
    if (s.packets === 0) {
      s.firstSec = s.lastSec = p.tsSec;
      s.firstNsec = s.lastNsec = p.tsNsec;
    } else {
      if (p.tsSec < s.firstSec || (p.tsSec === s.firstSec && p.tsNsec < s.firstNsec)) {
        s.firstSec = p.tsSec;
        s.firstNsec = p.tsNsec;
      }
      if (p.tsSec > s.lastSec || (p.tsSec === s.lastSec && p.tsNsec > s.lastNsec)) {
        s.lastSec = p.tsSec;
        s.lastNsec = p.tsNsec;
      }
    }
    if (p.tsSec < this.prevSec || (p.tsSec === this.prevSec && p.tsNsec < this.prevNsec))
      s.strictOrder = false;
    this.prevSec = p.tsSec;
    this.prevNsec = p.tsNsec;
    s.packets++;
    s.dataBytes += p.caplen;
    s.wireBytes += p.origlen;
    if (p.caplen < p.origlen) s.truncated++;
  }

  /**
   * A reader sink that feeds this indexer: every callback forwarded, packets to `packet` (by
   * default the plain index pass, `indexPacket`).
   */
  sink(packet: (p: CapturePacket) => void = (p) => this.indexPacket(p)): CaptureSink {
    return {
      info: (i) => this.info(i),
      iface: (i) => this.iface(i),
      stats: (s) => this.stats(s),
      warning: (w) => this.warning(w),
      names: (r) => this.names(r),
      secrets: (s) => this.secrets(s),
      packet,
    };
  }

  /** The pass is over: final conversation counts from the conversation tables. */
  finish(): CaptureSummary {
    this.summary.tcpStreams = tcpStreamsWithPackets(this.session);
    this.summary.udpStreams = udpStreamsWithPackets(this.session);
    return this.summary;
  }

  /** Copies what the first pass found (the engine's last PacketInfo and these) into record i. */
  private record(
    i: number,
    tcpFlags: number,
    severity: number,
    malformed: boolean,
    chain: number,
    nested: boolean,
  ): void {
    const p = this.engine.lastInfo;
    const b = this.index.block(i);
    const j = i & (BLOCK_SIZE - 1);
    const a = this.index.addresses;
    let flags = b.flags[j];

    if (p) {
      const nd = p.netData;
      if (p.netType !== 0 && nd !== null) {
        const kind = p.netType === 4 ? AddrKind.ipv4 : AddrKind.ipv6;
        b.src[j] = a.bytes(kind, nd, p.netSrcAt, p.netLen);
        b.dst[j] = a.bytes(kind, nd, p.netDstAt, p.netLen);
        flags |= PacketFlag.net;
      } else if (p.netType !== 0 && p.netSrc && p.netDst) {
        const kind = p.netType === 4 ? AddrKind.ipv4 : AddrKind.ipv6;
        b.src[j] = a.bytes(kind, p.netSrc);
        b.dst[j] = a.bytes(kind, p.netDst);
        flags |= PacketFlag.net;
      } else if (p.dlData && p.dlSrcAt >= 0 && p.dlDstAt >= 0) {
        b.src[j] = a.bytes(AddrKind.ether, p.dlData, p.dlSrcAt, 6);
        b.dst[j] = a.bytes(AddrKind.ether, p.dlData, p.dlDstAt, 6);
      }
      if (p.ptype === 'tcp' || p.ptype === 'udp') {
        b.srcport[j] = p.srcport;
        b.dstport[j] = p.dstport;
        b.stream[j] = p.stream;
        if (p.ptype === 'tcp') {
          flags |= PacketFlag.tcp;
          b.tcpFlags[j] = tcpFlags;
          if (p.stream >= this.summary.tcpStreams) this.summary.tcpStreams = p.stream + 1;
        } else {
          flags |= PacketFlag.udp;
          if (p.stream >= this.summary.udpStreams) this.summary.udpStreams = p.stream + 1;
        }
      }
    }

    if (nested) flags |= PacketFlag.nested;
    if (malformed) {
      flags |= PacketFlag.malformed;
      this.summary.malformed++;
    }
    flags |= severity << SEVERITY_SHIFT;
    b.flags[j] = flags;
    b.proto[j] = chain;
  }
}

function tcpFlagsAt(bytes: Uint8Array | undefined, offset: number): number {
  const at = offset + 12;
  if (!bytes || at + 2 > bytes.length) return 0;
  return ((bytes[at] << 8) | bytes[at + 1]) & 0x0fff;
}

/** The 12 flag bits of the innermost TCP header, read back from the bytes the first pass saw. */
function tcpFlagsOf(d: Dissection, data: Uint8Array): number {
  for (let k = d.layers.length - 1; k >= 0; k--) {
    const l = d.layers[k];
    if (l.proto !== 'tcp') continue;
    return tcpFlagsAt(l.source ? d.sources[l.source - 1]?.bytes : data, l.offset);
  }
  return 0;
}
