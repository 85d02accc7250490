// The shapes a dissection is made of. Every view (tree, hex highlight, layer stack, columns,
// filters) reads these, so they stay plain data: no classes, no functions, safe to send over IPC.

/** Where a layer sits in the two models. `null` for frame metadata, which is no protocol layer. */
export type TcpIpLayer = 'link' | 'internet' | 'transport' | 'application';
export interface LayerPlace {
  osi: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  tcpip: TcpIpLayer;
}

/** Field types follow Wireshark's ftypes closely enough that `-T fields` output can match tshark. */
export type FieldType =
  | 'none' // a label or subtree with no value of its own
  | 'protocol'
  | 'bool'
  | 'u8'
  | 'u16'
  | 'u24'
  | 'u32'
  | 'u64'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'float'
  | 'double'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'bytes'
  | 'string'
  | 'abs_time'
  | 'rel_time'
  | 'framenum'
  | 'guid'
  | 'oid';

/**
 * Display base, as Wireshark's BASE_*; for bytes fields the SEP_* separators
 * (`icmpv6.opt.linkaddr` is SEP_COLON: `02:00:00:00:77:01` in the tree and in `-T fields`).
 */
export type DisplayBase =
  | 'dec'
  | 'hex'
  | 'oct'
  | 'dec_hex'
  | 'hex_dec'
  | 'none'
  | 'utc'
  | 'unix'
  | 'sep_colon'
  | 'sep_dash'
  | 'sep_dot'
  | 'sep_space';

export interface FieldDef {
  /** Wireshark filter name, e.g. `tcp.flags.syn`. */
  abbrev: string;
  /** Display name, e.g. `Syn`. */
  name: string;
  type: FieldType;
  base: DisplayBase;
  /** Bit mask for bit fields (within the field's own byte length). 0 when none. */
  mask: number;
  /** Value strings: numeric value → text, as Wireshark's value_string. */
  vals?: Readonly<Record<number, string>>;
  /** For `bool` fields shown as words: [true text, false text]. */
  tf?: readonly [string, string];
  /** A short description shown on hover. */
  blurb?: string;
  /** The protocol this field belongs to (the part before the first dot). */
  proto: string;
}

/** A point in time or a duration with nanosecond precision (a double cannot hold epoch ns). */
export interface Timestamp {
  sec: number;
  nsec: number;
}

/** A typed value. Addresses are kept as bytes; 64-bit integers as bigint; times as Timestamp. */
export type FieldValue = number | bigint | boolean | string | Uint8Array | Timestamp | null;

export type Severity = 'comment' | 'chat' | 'note' | 'warn' | 'error';
export type ExpertGroup =
  | 'malformed'
  | 'protocol'
  | 'sequence'
  | 'checksum'
  | 'reassemble'
  | 'undecoded'
  | 'decryption'
  | 'comment'
  | 'response'
  | 'request';

export interface Expert {
  /** Stable id like `tcp.analysis.retransmission` or `ip.len.bad`. */
  id: string;
  severity: Severity;
  group: ExpertGroup;
  message: string;
  /** Byte range the note is about (frame offsets); -1/0 when it concerns the layer as a whole. */
  offset: number;
  length: number;
}

/** One node of the details tree. */
export interface Item {
  /** Filter name (from the field table), or '' for pure text labels. */
  abbrev: string;
  /** Text shown in the tree: `Source Port: 46390`. */
  label: string;
  /** Offset from the start of the data source (the frame unless `source` says otherwise). */
  offset: number;
  length: number;
  /** Bit mask within [offset, offset+length) for bit fields, else 0. */
  mask?: number;
  value: FieldValue;
  /** Computed rather than read from the wire (stream index, checksum status…). Length is 0. */
  generated?: boolean;
  /** Which data source the range refers to: 0 = the frame; >0 = an extra tab (reassembled…). */
  source?: number;
  /**
   * Present for filters and `-T fields` but not drawn in the tree, as Wireshark's hidden items
   * (`ip.addr`, `ip.host`, `eth.addr`'s twins…).
   */
  hidden?: boolean;
  children?: Item[];
  expert?: Expert;
}

/** Extra byte tabs beside the frame (reassembled, decompressed, decrypted data). */
export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

export interface Layer {
  /** Protocol abbreviation: `eth`, `ip`, `tcp`… */
  proto: string;
  /** Long name for the tree line: `Transmission Control Protocol`. */
  name: string;
  /** Summary line, as Wireshark's tree shows it: `Internet Protocol Version 4, Src: …, Dst: …`. */
  summary: string;
  place: LayerPlace | null;
  /** Byte range of this layer (header + what it carries), from the start of its data source. */
  offset: number;
  length: number;
  /** Bytes of this layer's own header (for the layer stack); payload starts after them. */
  headerLength: number;
  source?: number;
  /** PDU name in the models: frame, packet, segment, datagram, message. */
  pdu?: string;
  items: Item[];
  experts: Expert[];
  malformed: boolean;
  /** The capture cut this layer short (snaplen): not malformed, just not all there. */
  truncated: boolean;
}

/** What the summary row shows (Wireshark's default columns). */
export interface Columns {
  protocol: string;
  info: string;
  src: string;
  dst: string;
}

export interface Dissection {
  frame: number;
  layers: Layer[];
  columns: Columns;
  /** `eth:ethertype:ip:tcp`, as frame.protocols. */
  protocols: string[];
  sources: DataSource[];
  /** What the application protocols said in this frame (only when columns or tree were asked). */
  messages?: AppMessage[];
}

/**
 * One application-level event for sequence diagrams ("GET /chat (Upgrade: websocket)",
 * "WS text \"Hello!\"", "ClientHello SNI=example.com ALPN=h2"). A dissector emits one per thing
 * the protocol said (several WebSocket frames in one segment: several messages) with
 * `emitMessage` (shared/dissect/packet.ts); the engine fills in `layer`.
 */
export interface AppMessage {
  /** The emitting protocol (`http`, `websocket`, `tls`, `http2`, `grpc`, `dns`, `quic`…). */
  proto: string;
  /** Short arrow label, at most ~60 characters. */
  label: string;
  /** Longer text for a tooltip or caption (headers, payload preview…). */
  detail?: string;
  /** The sender's role where the protocol makes it clear (an HTTP request comes from the client). */
  role?: 'client' | 'server';
  /**
   * A sub-conversation inside the transport stream, where the protocol has one: the HTTP/2 or
   * gRPC stream id (`'h2:3'`), the QUIC connection. Lifelines per stream group by it.
   */
  substream?: string;
  /** Index into Dissection.layers of the layer that emitted it (set by the engine). */
  layer: number;
}
