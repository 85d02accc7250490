// What one dissection knows about its packet (Wireshark's packet_info) and what the capture as a
// whole remembers between packets (the session). Dissectors keep no module state: everything
// that outlives a frame lives in the session, keyed by protocol.
import type { Dissector, NextHint } from './engine';
import type { AppMessage, Columns, DataSource } from './types';

/** Frame metadata from the capture reader (and, on later visits, from the packet index). */
export interface FrameMeta {
  /** 1-based frame number, as Wireshark counts. */
  number: number;
  tsSec: number;
  tsNsec: number;
  caplen: number;
  origlen: number;
  linktype: number;
  ifid: number;
  comment?: string;
  /** Every packet comment when there are several (pcapng allows many opt_comment options). */
  comments?: string[];
  /** pcapng only: 0-based section, and the interface's if_name / if_description when recorded. */
  section?: number;
  ifname?: string;
  ifdescription?: string;
}

export type NetType = 0 | 4 | 6;
export type PortType = '' | 'tcp' | 'udp';

export interface PacketInfo {
  frame: FrameMeta;
  /** Build tree items (selection, detail) — off on the index pass. */
  tree: boolean;
  /** Build column text (visible rows, `list`). */
  cols: boolean;
  /** True when the session has seen this frame before (the first pass is over for it). */
  visited: boolean;
  session: Session;
  columns: Columns;
  protocols: string[];
  sources: DataSource[];
  /**
   * Link-layer (6-byte, Ethernet) addresses of the outermost link, when known: the bytes they lie
   * in and their offsets there (-1: unknown). Offsets, not views: the index pass needs them only
   * for frames without a network layer, and must not make two views per frame to find that out.
   */
  dlData: Uint8Array | null;
  dlSrcAt: number;
  dlDstAt: number;
  /**
   * Innermost network-layer addresses: views into the bytes being dissected (the frame, or a
   * reassembled buffer), valid while the frame is dissected. Copy to keep (the conversation
   * tables and the packet index do).
   */
  netType: NetType;
  netSrc: Uint8Array | null;
  netDst: Uint8Array | null;
  /**
   * The same addresses as offsets, when the layer that found them left offsets (setNetAt; the
   * plain head: two views a frame were measurable on the application pass): netSrc and netDst
   * are then made from these on first read. null once a layer sets netSrc or netDst. The
   * per-packet paths (TCP's conversation lookup, the index record) read these when set.
   */
  netData: Uint8Array | null;
  netSrcAt: number;
  netDstAt: number;
  netLen: number;
  /** Transport ports of the innermost transport layer. */
  ptype: PortType;
  srcport: number;
  dstport: number;
  /** Conversation index of that transport layer (tcp.stream / udp.stream), -1 when none. */
  stream: number;
  /** Dissecting the packet quoted inside an ICMP error: no conversation state is changed. */
  inError: boolean;
  /** Set by a layer whose payload is an unreassembled fragment: the upper layer is not dissected. */
  fragment: boolean;
  /**
   * Application messages emitted so far in this frame (see emitMessage); null until the first.
   * Only collected when `cols` or `tree` is on: the index pass builds none.
   */
  messages: AppMessage[] | null;
  /**
   * A single pass that hands messages on as it goes (Engine.index with `messages`) sets this: a
   * dissector whose message text depends on frames still to come (a WebSocket fragment's
   * "1/3") then gives a reviser, kept in `revisers` at the message's place.
   */
  revisable: boolean;
  revisers: (MessageReviser | undefined)[] | null;
  /**
   * The engine's dispatch, for a layer that must pick the next dissector itself before handing
   * the payload on (TCP reassembly needs the protocol's PDU framing first). Set by the engine.
   */
  dispatch: Dispatch | null;
  /** The `context` of the hint that led to the running dissector (see NextHint.context). */
  context: unknown;
}

/** What a dissector may ask of the engine's dispatch (decode-as → table → heuristics → data). */
export interface Dispatch {
  /** The dissector the engine would run for `hint` over data[offset, end); 'data' when none. */
  resolve(hint: NextHint, data: Uint8Array, offset: number, end: number, p: PacketInfo): Dissector;
  /** A dissector by its protocol abbreviation. */
  dissector(proto: string): Dissector | undefined;
}

/**
 * A message's text as it reads once later frames have been seen; null while they may still
 * change it, unless `final` (the capture ended: what is known then is what a later visit shows).
 */
export type MessageReviser = (final: boolean) => { label: string; detail?: string } | null;

/**
 * Records an application message for sequence diagrams; a no-op on the index pass. `revise`
 * when the text may still change with later frames (see MessageReviser): a later visit of the
 * frame shows what the reviser gives, a single pass waits for it.
 */
export function emitMessage(p: PacketInfo, m: Omit<AppMessage, 'layer'>, revise?: MessageReviser): void {
  if (!p.cols && !p.tree) return;
  if (revise && p.revisable) (p.revisers ??= [])[p.messages?.length ?? 0] = revise;
  // The caller's fresh object gets its layer in place: a copy per message was measurable.
  const a = m as AppMessage;
  a.layer = -1;
  (p.messages ??= []).push(a);
}

export function newPacketInfo(frame: FrameMeta, session: Session, tree: boolean, cols: boolean): PacketInfo {
  return new Info(frame, session, tree, cols);
}

/** A PacketInfo whose addresses may be left as offsets (see PacketInfo.netData). */
class Info implements PacketInfo {
  visited: boolean;
  columns: Columns = { protocol: '', info: '', src: '', dst: '' };
  protocols: string[] = [];
  sources: DataSource[] = [];
  dlData: Uint8Array | null = null;
  dlSrcAt = -1;
  dlDstAt = -1;
  netType: NetType = 0;
  netData: Uint8Array | null = null;
  netSrcAt = 0;
  netDstAt = 0;
  netLen = 0;
  ptype: PortType = '';
  srcport = 0;
  dstport = 0;
  stream = -1;
  inError = false;
  fragment = false;
  messages: AppMessage[] | null = null;
  revisable = false;
  revisers: (MessageReviser | undefined)[] | null = null;
  dispatch: Dispatch | null = null;
  context: unknown = null;
  private src: Uint8Array | null = null;
  private dst: Uint8Array | null = null;

  constructor(
    public frame: FrameMeta,
    public session: Session,
    public tree: boolean,
    public cols: boolean,
  ) {
    this.visited = frame.number <= session.lastVisited;
  }

  get netSrc(): Uint8Array | null {
    const d = this.netData;
    if (d !== null && this.src === null) this.src = d.subarray(this.netSrcAt, this.netSrcAt + this.netLen);
    return this.src;
  }

  set netSrc(v: Uint8Array | null) {
    this.settle();
    this.src = v;
  }

  get netDst(): Uint8Array | null {
    const d = this.netData;
    if (d !== null && this.dst === null) this.dst = d.subarray(this.netDstAt, this.netDstAt + this.netLen);
    return this.dst;
  }

  set netDst(v: Uint8Array | null) {
    this.settle();
    this.dst = v;
  }

  /** Views of the offsets, before a layer replaces one address (an IPv6 routing header's destination). */
  private settle(): void {
    if (this.netData === null) return;
    this.src = this.netSrc;
    this.dst = this.netDst;
    this.netData = null;
  }
}

/** Sets the innermost addresses as data[srcAt, srcAt + len) and data[dstAt, dstAt + len), without views. */
export function setNetAt(p: PacketInfo, data: Uint8Array, srcAt: number, dstAt: number, len: number): void {
  p.netData = null;
  p.netSrc = null;
  p.netDst = null;
  p.netData = data;
  p.netSrcAt = srcAt;
  p.netDstAt = dstAt;
  p.netLen = len;
}

/** Whether the innermost network addresses are known (as views or offsets). */
export function hasNetAddresses(p: PacketInfo): boolean {
  return p.netData !== null || (p.netSrc !== null && p.netDst !== null);
}

/**
 * `p` made ready for another frame in place: the index pass reuses one PacketInfo per engine
 * (see Engine.index), so a first pass allocates none.
 */
export function resetPacketInfo(
  p: PacketInfo,
  frame: FrameMeta,
  session: Session,
  tree: boolean,
  cols: boolean,
): void {
  p.frame = frame;
  p.tree = tree;
  p.cols = cols;
  p.visited = frame.number <= session.lastVisited;
  p.session = session;
  const c = p.columns;
  c.protocol = '';
  c.info = '';
  c.src = '';
  c.dst = '';
  // A new protocols array costs less than emptying the old one (`length = 0` is a runtime call).
  p.protocols = [];
  if (p.sources.length) p.sources = [];
  p.dlData = null;
  p.dlSrcAt = -1;
  p.dlDstAt = -1;
  p.netType = 0;
  // Offsets first: clearing the views with offsets set would make views of them.
  p.netData = null;
  p.netSrc = null;
  p.netDst = null;
  p.ptype = '';
  p.srcport = 0;
  p.dstport = 0;
  p.stream = -1;
  p.inError = false;
  p.fragment = false;
  p.messages = null;
  p.revisable = false;
  p.revisers = null;
}

/**
 * Capture-wide state. The first, in-order pass over a capture (the index pass) builds it;
 * later dissections of any single frame (selection, visible rows) read it back, as Wireshark
 * does with its "visited" flag, so a frame shows the same relative numbers and analysis
 * whenever it is dissected.
 */
export class Session {
  /** Highest frame number whose first pass is complete. */
  lastVisited = 0;
  /**
   * False for a pass that reads a capture once and never dissects a frame again (`wirescope
   * messages --level application`): state kept only for later visits (per-frame analysis and
   * reassembly records) is not kept, and memory stays with the open connections.
   */
  revisits = true;
  /** Timestamp of frame 1, for frame.time_relative. */
  firstSec = 0;
  firstNsec = 0;
  hasFirst = false;
  /** pcapng records interface ids; classic pcap does not, and then frame.interface_id is absent. */
  interfaceIds = true;
  /** Timestamp of each frame's predecessor is needed for frame.time_delta; the index supplies it. */
  prevTs: ((frame: number) => [number, number] | null) | null = null;
  /** Random access to the bytes of other frames (IP and TCP reassembly on later visits). */
  frameBytes: ((frame: number) => Uint8Array | null) | null = null;
  private readonly states = new Map<string, unknown>();
  /** TCP streams whose both directions ended in this frame, and who forgets them (see closeStream). */
  private closing: number[] = [];
  private readonly forgetters: ((stream: number) => void)[] = [];

  /**
   * Without later visits (`revisits` false), a TCP stream whose both directions have ended will
   * give no application layer again: each protocol's state for it can go. TCP reassembly says so
   * here; the states go once the frame is done (`endFrame`), as its PDUs still read them.
   */
  closeStream(stream: number): void {
    if (!this.revisits) this.closing.push(stream);
  }

  /** `forget` runs for every stream closeStream names (a protocol keeping per-stream state). */
  onStreamClosed(forget: (stream: number) => void): void {
    if (!this.revisits) this.forgetters.push(forget);
  }

  /** The frame's first pass is over: state of the streams it ended is dropped. */
  endFrame(): void {
    if (!this.closing.length) return;
    for (const s of this.closing) for (const f of this.forgetters) f(s);
    this.closing = [];
  }

  /** The state object a protocol keeps across frames, created on first use. */
  state<T>(key: string, make: () => T): T {
    let s = this.states.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.states.set(key, s);
    }
    return s;
  }

  peek<T>(key: string): T | undefined {
    return this.states.get(key) as T | undefined;
  }
}
