// What one dissection knows about its packet (Wireshark's packet_info) and what the capture as a
// whole remembers between packets (the session). Dissectors keep no module state: everything
// that outlives a frame lives in the session, keyed by protocol.
import type { Columns, DataSource } from './types';

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
  /** Link-layer addresses of the outermost link (Ethernet MACs), when known. */
  dlSrc: Uint8Array | null;
  dlDst: Uint8Array | null;
  /** Innermost network-layer addresses (copied, stable after the frame). */
  netType: NetType;
  netSrc: Uint8Array | null;
  netDst: Uint8Array | null;
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
}

export function newPacketInfo(frame: FrameMeta, session: Session, tree: boolean, cols: boolean): PacketInfo {
  return {
    frame,
    tree,
    cols,
    visited: frame.number <= session.lastVisited,
    session,
    columns: { protocol: '', info: '', src: '', dst: '' },
    protocols: [],
    sources: [],
    dlSrc: null,
    dlDst: null,
    netType: 0,
    netSrc: null,
    netDst: null,
    ptype: '',
    srcport: 0,
    dstport: 0,
    stream: -1,
    inError: false,
    fragment: false,
  };
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
