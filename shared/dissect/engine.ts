// The dissection loop: link type → dissector → next hint → … until the payload is exhausted.
// Dispatch order is fixed and documented (STYLE.md): a "decode as" override → the table, lower
// port first then higher → the table's heuristics → raw data.
//
// Each layer runs inside its own try/catch: a short read becomes a truncated or malformed layer,
// and any other exception (a dissector bug) is kept as a malformed layer with the error text, so
// nothing escapes the frame.
import { wtapEncap } from '../capture/linktypes';
import { Cursor, ShortRead } from './cursor';
import { defineFields, protocolInfo, type FieldSet } from './fields';
import {
  newPacketInfo,
  resetPacketInfo,
  type Dispatch,
  type FrameMeta,
  type MessageReviser,
  type PacketInfo,
  type Session,
} from './packet';
import type { PduFraming } from '../reassembly/pdu-stream';
import type { AppMessage, Dissection, Layer, LayerPlace, Severity } from './types';

export type TableKey = number | string;

/** Where the payload of a layer goes next. */
export interface NextHint {
  /** Dispatch by table (`ethertype`, `ip.proto`, `tcp.port`…) with one key, or ports low-then-high. */
  table?: string;
  key?: TableKey;
  keys?: readonly number[];
  /** Or name the dissector directly. */
  proto?: string;
  /** Payload range; default: from the end of this layer's header to the layer's declared end. */
  offset?: number;
  end?: number;
  /** Dissect the payload from a new data source (reassembled or decoded bytes) instead. */
  data?: Uint8Array;
  dataName?: string;
  /**
   * What the next dissector should know of where its bytes came from (the HTTP/2 stream of a
   * DATA payload, the HTTP message of a body): `p.context` while it runs. Unset: null.
   */
  context?: unknown;
}

/**
 * What a layer's dissect returns. The engine reads it (and its next hint) completely before the
 * next dissector runs, in both `dissect` and `index`, and keeps no reference to either; so a
 * dissector on the hot path may return one module-level object, rewritten per call, instead of
 * allocating two objects a packet (ip does).
 */
export interface DissectResult {
  next?: NextHint | null;
  /** Bytes of this layer's own header; default: how far the cursor read. */
  headerLength?: number;
  /** Tree summary line; default: the protocol's long name. */
  summary?: string;
  /** Called after the payload's layers are done, with the end of what they covered (trailers). */
  finish?: (payloadEnd: number) => void;
  /**
   * Further payloads beside `next`, dissected in order after the chain that `next` starts has
   * ended: several PDUs in one TCP segment, several HTTP/2 frames' bodies. A hint without `data`
   * refers to this layer's data source.
   */
  more?: readonly NextHint[] | null;
}

export type Heuristic = (data: Uint8Array, offset: number, end: number, p: PacketInfo) => boolean;

export interface Dissector {
  /** The field table (its `$proto` gives the abbreviation, long name and place). */
  fields: FieldSet<string>;
  /** PDU name in the models: frame, packet, segment, datagram, message. */
  pdu?: string;
  dissect(c: Cursor, p: PacketInfo): DissectResult | void;
  /** Table keys this dissector claims: `{ ethertype: 0x0800 }`, `{ 'udp.port': [53, 5353] }`. */
  in?: Readonly<Record<string, TableKey | readonly TableKey[]>>;
  /** Tables whose heuristics list includes this dissector. */
  heuristicIn?: readonly string[];
  heuristic?: Heuristic;
  /**
   * How this protocol's PDUs are delimited in a byte stream. With it, TCP reassembles: the
   * dissector sees each whole PDU once, on the segment that completes it (shared/reassembly).
   * Without it, TCP hands each segment's payload over as it is.
   */
  framing?: PduFraming;
}

/**
 * Reads a frame's outer layers straight from its bytes where they are plain, in place of their
 * dissectors, for `Engine.index` (shared/dissectors/plain-head.ts). It fills `p` and `r` for the
 * layers it read, as their dissectors would (without tree or columns), sets `r.depth`, and
 * returns the hint to the next layer (offset and end set); or returns null, having changed
 * nothing, and the engine dissects the frame from its link layer.
 */
export interface FrameHead {
  read(data: Uint8Array, frame: FrameMeta, p: PacketInfo, r: FirstPass): NextHint | null;
}

/** A hint waiting to be dissected, with the data source it refers to. */
interface Pending {
  hint: NextHint;
  src: Uint8Array;
  source: number;
  end: number;
}

/** The table link types dispatch through (pcap LINKTYPE_* numbers). */
export const LINK_TABLE = 'link';

const dataFields = defineFields(
  'data',
  'Data',
  { osi: 7, tcpip: 'application' },
  {
    data: { name: 'Data', type: 'bytes' },
    len: { name: 'Length', type: 'i32' },
  },
);

const dataDissector: Dissector = {
  fields: dataFields,
  dissect(c, p) {
    const n = c.remaining;
    c.bytes(n, dataFields.data);
    c.generated(dataFields.len, n, `[Length: ${n}]`);
    if (p.cols && !p.columns.protocol) p.columns.protocol = 'DATA';
    return { summary: `Data (${n} byte${n === 1 ? '' : 's'})` };
  },
};

const frameFields = defineFields('frame', 'Frame', null, {
  section_number: { name: 'Section number', type: 'u32' },
  interface_id: { name: 'Interface id', type: 'u32' },
  interface_name: { name: 'Interface name', type: 'string' },
  interface_description: { name: 'Interface description', type: 'string' },
  encap_type: { name: 'Encapsulation type', type: 'i16' },
  time: { name: 'Arrival Time', type: 'abs_time', base: 'utc' },
  time_epoch: { name: 'Epoch Time', type: 'abs_time', base: 'unix' },
  time_delta: { name: 'Time delta from previous captured frame', type: 'rel_time' },
  time_relative: { name: 'Time since reference or first frame', type: 'rel_time' },
  number: { name: 'Frame Number', type: 'u32' },
  len: { name: 'Frame length on the wire', type: 'u32' },
  cap_len: { name: 'Frame length stored into the capture file', type: 'u32' },
  protocols: { name: 'Protocols in frame', type: 'string' },
  comment: { name: 'Comment', type: 'string' },
});

/** Expert severities as ranks, so "the highest one" is a comparison (0: no expert). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  comment: 1,
  chat: 2,
  note: 3,
  warn: 4,
  error: 5,
};

/**
 * What the index pass keeps of one frame, filled by `Engine.index` in place: one object per
 * engine, valid until the next `index` call. Per layer (frame excluded, outermost first): its
 * protocol, where it starts and the bytes it read (the frame, or a reassembled buffer).
 */
export class FirstPass {
  depth = 0;
  readonly protos: string[] = [];
  readonly offsets: number[] = [];
  readonly data: Uint8Array[] = [];
  /** Where each layer ends, and its data source (0: the frame): trailers are found with these. */
  readonly ends: number[] = [];
  readonly sources: number[] = [];
  /** Highest SEVERITY_RANK of any expert note in the frame. */
  severity = 0;
  /** Some layer is malformed. */
  malformed = false;
  /**
   * With `messages` on (see Engine.index): the application messages the frame's dissectors
   * emitted, each with the depth of its layer; null when none.
   */
  messages: AppMessage[] | null = null;
  /** Revisers of those messages whose text later frames may change, at the messages' places. */
  revisers: (MessageReviser | undefined)[] | null = null;

  /** The innermost layer's protocol ('frame' when no layer ran). */
  get top(): string {
    return this.depth ? this.protos[this.depth - 1] : 'frame';
  }
}

export class Engine implements Dispatch {
  private readonly tables = new Map<string, Map<TableKey, Dissector>>();
  private readonly heuristics = new Map<string, Dissector[]>();
  private readonly byProto = new Map<string, Dissector>();
  private readonly overrides = new Map<string, Map<TableKey, Dissector>>();
  private readonly places = new Map<Dissector, LayerPlace | null>();
  /**
   * The PacketInfo of the latest `dissect` call, valid until the next one. The packet index reads
   * the innermost addresses, ports and stream from it after the first pass; a Dissection stays
   * plain data (IPC-safe), so they are not copied into it.
   */
  lastInfo: PacketInfo | null = null;
  /** The result of the latest `index` call. */
  readonly pass = new FirstPass();
  /** The index pass's own PacketInfo and cursors (one per depth), reused frame after frame. */
  private passInfo: PacketInfo | null = null;
  private readonly cursors: Cursor[] = [];
  private readonly finishFns: ((end: number) => void)[] = [];
  private readonly finishAfter: number[] = [];
  /**
   * Set, `index` reads plain frames' outer layers with it. A "decode as" of the link, EtherType
   * or BSD loopback family tables turns it off (the head knows only the default dissectors there).
   */
  head: FrameHead | null = null;
  private headOverridden = false;

  constructor(dissectors: readonly Dissector[] = []) {
    this.register(dataDissector);
    for (const d of dissectors) this.register(d);
  }

  register(d: Dissector): void {
    this.byProto.set(d.fields.$proto.abbrev, d);
    this.places.set(d, protocolInfo(d.fields.$proto.abbrev)?.place ?? null);
    for (const [table, keys] of Object.entries(d.in ?? {})) {
      let t = this.tables.get(table);
      if (!t) this.tables.set(table, (t = new Map()));
      for (const k of Array.isArray(keys) ? keys : [keys]) t.set(k, d);
    }
    for (const table of d.heuristicIn ?? []) {
      const list = this.heuristics.get(table) ?? [];
      list.push(d);
      this.heuristics.set(table, list);
    }
  }

  dissector(proto: string): Dissector | undefined {
    return this.byProto.get(proto);
  }

  /** tshark's `-d table==key,proto`: wins over the table and the heuristics. */
  decodeAs(table: string, key: TableKey, proto: string): void {
    const d = this.byProto.get(proto);
    if (!d) throw new Error(`decode as: no dissector named "${proto}"`);
    let t = this.overrides.get(table);
    if (!t) this.overrides.set(table, (t = new Map()));
    t.set(key, d);
    if (table === LINK_TABLE || table === 'ethertype' || table === 'null.family') this.headOverridden = true;
  }

  private lookup(table: string, key: TableKey): Dissector | undefined {
    return this.overrides.get(table)?.get(key) ?? this.tables.get(table)?.get(key);
  }

  /** The dissector for `h` over data[offset, end): decode-as → table → heuristics → data. */
  resolve(h: NextHint, data: Uint8Array, offset: number, end: number, p: PacketInfo): Dissector {
    if (h.proto) return this.byProto.get(h.proto) ?? dataDissector;
    if (h.table) {
      if (h.keys) {
        // No array destructuring or repeated map lookups: this runs for every TCP/UDP packet.
        const k0 = h.keys[0];
        const k1 = h.keys[1];
        const a = k0 <= k1 ? k0 : k1;
        const b = k0 <= k1 ? k1 : k0;
        if (this.overrides.size) {
          const o = this.overrides.get(h.table);
          const ov = o?.get(a) ?? o?.get(b);
          if (ov) return ov;
        }
        const t = this.tables.get(h.table);
        const d = t?.get(a) ?? t?.get(b);
        if (d) return d;
      } else if (h.key !== undefined) {
        const d = this.overrides.size ? this.lookup(h.table, h.key) : this.tables.get(h.table)?.get(h.key);
        if (d) return d;
      }
      const hs = this.heuristics.get(h.table);
      if (hs) {
        for (const d of hs) {
          try {
            if (d.heuristic?.(data, offset, end, p)) return d;
          } catch {
            // A heuristic that trips over the bytes simply did not match.
          }
        }
      }
    }
    return dataDissector;
  }

  /**
   * The first pass over one frame as the packet index wants it: tree and columns off, and no
   * Dissection built. It runs the same dissectors in the same order as `dissect(…, false, false)`
   * (the packet index tests hold the two to the same records) but allocates next to nothing of
   * its own: one PacketInfo and one Cursor per depth are reused, and what the index needs is left
   * in `this.pass` (protocols, offsets, experts' highest severity, malformed) and in `lastInfo`
   * (addresses, ports, stream). Both are valid until the next call.
   *
   * `messages` also collects the application messages (`pass.messages`), as a later visit with
   * columns on would emit them: the layers above the first TCP or UDP layer run with columns on,
   * the layers up to it with them off, which is where the cost of columns lies (a `messages`
   * run's single pass: docs/decisions/single-pass-messages.md).
   */
  index(data: Uint8Array, frame: FrameMeta, session: Session, messages = false): FirstPass {
    let p = this.passInfo;
    if (p) resetPacketInfo(p, frame, session, false, false);
    else {
      p = this.passInfo = newPacketInfo(frame, session, false, false);
      p.dispatch = this;
    }
    this.lastInfo = p;
    if (!session.hasFirst) {
      session.hasFirst = true;
      session.firstSec = frame.tsSec;
      session.firstNsec = frame.tsNsec;
    }
    const r = this.pass;
    r.depth = 0;
    r.severity = 0;
    r.malformed = false;
    r.messages = null;
    r.revisers = null;
    p.revisable = messages;
    let appCols = false;
    p.protocols.push('frame');

    let d: Dissector;
    let src = data;
    let source = 0;
    let start = 0;
    let declaredEnd = frame.origlen;
    let finishers = 0;
    let waiting: Pending[] | null = null;
    let context: unknown = null;
    const head = this.head && !this.headOverridden ? this.head.read(data, frame, p, r) : null;
    if (head) {
      start = head.offset!;
      declaredEnd = head.end!;
      d = this.resolve(head, src, start, Math.min(declaredEnd, src.length), p);
    } else {
      d = this.lookup(LINK_TABLE, frame.linktype) ?? dataDissector;
    }
    for (let depth = r.depth; depth < 64; depth++) {
      if (depth > 0 && start >= Math.min(declaredEnd, src.length)) {
        if (!waiting?.length) break;
        const w = waiting.pop()!;
        ({ src, source, start, declaredEnd } = this.settle(w, p));
        context = w.hint.context ?? null;
        d = this.resolve(w.hint, src, start, Math.min(declaredEnd, src.length), p);
      }
      let c = this.cursors[depth];
      if (c) c.reset(src, start, declaredEnd, false, source);
      else c = this.cursors[depth] = new Cursor(src, start, declaredEnd, false, source);
      const abbrev = d.fields.$proto.abbrev;
      p.protocols.push(abbrev);
      let res: DissectResult | void = undefined;
      let failure: ShortRead | Error | null = null;
      p.context = context;
      if (messages) p.cols = appCols;
      try {
        res = d.dissect(c, p);
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
      }
      if (failure) this.failed(c, abbrev, failure, p);
      if (messages) {
        if (abbrev === 'tcp' || abbrev === 'udp') appCols = true;
        const ms = p.messages;
        if (ms) for (let m = 0; m < ms.length; m++) if (ms[m].layer < 0) ms[m].layer = depth;
      }
      const next = failure || !res ? null : (res.next ?? null);
      const headerLength: number = res?.headerLength ?? c.pos - start;
      const layerEnd = Math.min(next?.end ?? c.declaredEnd, src.length);
      r.protos[depth] = abbrev;
      r.offsets[depth] = start;
      r.data[depth] = src;
      r.ends[depth] = start + Math.max(0, Math.max(layerEnd, c.pos) - start);
      r.sources[depth] = source;
      r.depth = depth + 1;
      if (c.malformed) r.malformed = true;
      const ex = c.experts;
      for (let e = 0; e < ex.length; e++) {
        const rank = SEVERITY_RANK[ex[e].severity];
        if (rank > r.severity) r.severity = rank;
      }
      if (res?.finish) {
        this.finishFns[finishers] = res.finish;
        this.finishAfter[finishers++] = depth + 1;
      }
      if (res?.more?.length) waiting = queueMore(waiting, res.more, src, source, c.declaredEnd);
      if (!next || (p.fragment && next.proto !== 'data')) {
        if (!waiting?.length || p.fragment) break;
        const w = waiting.pop()!;
        ({ src, source, start, declaredEnd } = this.settle(w, p));
        context = w.hint.context ?? null;
        d = this.resolve(w.hint, src, start, Math.min(declaredEnd, src.length), p);
        continue;
      }
      context = next.context ?? null;
      if (next.data) {
        p.sources.push({ name: next.dataName ?? 'Reassembled', bytes: next.data });
        src = next.data;
        source = p.sources.length;
        start = next.offset ?? 0;
        declaredEnd = next.end ?? next.data.length;
      } else {
        start = next.offset ?? start + headerLength;
        declaredEnd = next.end ?? c.declaredEnd;
      }
      d = this.resolve(next, src, start, Math.min(declaredEnd, src.length), p);
    }

    if (messages) {
      // Trailers (finishers) are link-layer work: columns off again, as for the layers below.
      p.cols = false;
      r.messages = p.messages;
      r.revisers = p.revisers;
    }
    for (let i = finishers - 1; i >= 0; i--) {
      let covered = 0;
      for (let j = this.finishAfter[i]; j < r.depth; j++) {
        if (r.sources[j] === 0 && r.ends[j] > covered) covered = r.ends[j];
      }
      // The finisher's own layer may note experts (a bad trailer) after the layers above it ran.
      const c = this.cursors[this.finishAfter[i] - 1];
      const before = c.experts.length;
      try {
        this.finishFns[i](covered);
      } catch {
        // A trailer that cannot be read is left out; the layers above are already complete.
      }
      for (let e = before; e < c.experts.length; e++) {
        const rank = SEVERITY_RANK[c.experts[e].severity];
        if (rank > r.severity) r.severity = rank;
      }
      // As in `dissect`, whose Layer copied `malformed` before its trailer was read.
      this.finishFns[i] = noFinish;
    }
    return r;
  }

  /**
   * Dissects one frame. `tree` builds the details tree, `cols` the summary columns; with both off
   * (the index pass) only what later passes need is recorded in the session. `labels` false: tree
   * items without display text (a filter reads values only).
   */
  dissect(
    data: Uint8Array,
    frame: FrameMeta,
    session: Session,
    tree: boolean,
    cols: boolean,
    labels = true,
  ): Dissection {
    const p = newPacketInfo(frame, session, tree, cols);
    p.dispatch = this;
    this.lastInfo = p;
    if (!session.hasFirst) {
      session.hasFirst = true;
      session.firstSec = frame.tsSec;
      session.firstNsec = frame.tsNsec;
    }
    const layers: Layer[] = [];
    const frameLayer = tree ? this.frameLayer(data, frame, session) : null;
    if (frameLayer) layers.push(frameLayer);
    p.protocols.push('frame');

    const link = this.lookup(LINK_TABLE, frame.linktype) ?? dataDissector;
    let hint: NextHint | null = { proto: link.fields.$proto.abbrev, offset: 0, end: frame.origlen };
    let d: Dissector | null = link;
    let src = data;
    let source = 0;
    // Each finisher gets the end of what the layers *above* it covered in the frame (its own
    // layer spans the whole frame, so it must not count), e.g. Ethernet padding and trailers.
    const finishers: { fn: (end: number) => void; after: number }[] = [];
    let waiting: Pending[] | null = null;

    for (let depth = 0; hint && d && depth < 64; depth++) {
      let context: unknown = hint.context ?? null;
      let start: number = hint.offset ?? 0;
      let declaredEnd: number = hint.end ?? src.length;
      if (start >= Math.min(declaredEnd, src.length) && layers.length > (frameLayer ? 1 : 0)) {
        if (!waiting?.length) break;
        const w = waiting.pop()!;
        ({ src, source, start, declaredEnd } = this.settle(w, p));
        context = w.hint.context ?? null;
        d = this.resolve(w.hint, src, start, Math.min(declaredEnd, src.length), p);
      }
      const c: Cursor = new Cursor(src, start, declaredEnd, tree, source);
      c.labels = labels;
      const proto = d.fields.$proto;
      p.protocols.push(proto.abbrev);
      let res: DissectResult | void = undefined;
      let failure: ShortRead | Error | null = null;
      p.context = context;
      try {
        res = d.dissect(c, p);
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
      }
      if (failure) this.failed(c, proto.abbrev, failure, p);
      const place = this.places.get(d) ?? null;
      const next = failure ? null : (res?.next ?? null);
      const headerLength: number = res?.headerLength ?? c.pos - start;
      const layerEnd = Math.min(next?.end ?? c.declaredEnd, src.length);
      const layer: Layer = {
        proto: proto.abbrev,
        name: proto.name,
        summary: res?.summary ?? proto.name,
        place,
        offset: start,
        length: Math.max(0, Math.max(layerEnd, c.pos) - start),
        headerLength,
        pdu: d.pdu,
        items: c.items,
        experts: c.experts,
        malformed: c.malformed,
        truncated: c.truncated,
      };
      if (source) layer.source = source;
      layers.push(layer);
      if (p.messages) {
        for (const m of p.messages) if (m.layer < 0) m.layer = layers.length - 1;
      }
      if (res?.finish) finishers.push({ fn: res.finish, after: layers.length });
      if (res?.more?.length) waiting = queueMore(waiting, res.more, src, source, c.declaredEnd);
      // An unreassembled fragment stops dispatch to upper protocols; its bytes may still be shown
      // as data, as Wireshark shows "Data" under a fragment.
      if (!next || (p.fragment && next.proto !== 'data')) {
        if (!waiting?.length || p.fragment) break;
        const w = waiting.pop()!;
        const at = this.settle(w, p);
        src = at.src;
        source = at.source;
        hint = hintAt(w.hint, at.start, at.declaredEnd);
        d = this.resolve(hint, src, at.start, Math.min(at.declaredEnd, src.length), p);
        continue;
      }

      if (next.data) {
        p.sources.push({ name: next.dataName ?? 'Reassembled', bytes: next.data });
        src = next.data;
        source = p.sources.length;
        hint = hintAt(next, next.offset ?? 0, next.end ?? next.data.length);
      } else {
        hint = hintAt(next, next.offset ?? start + headerLength, next.end ?? c.declaredEnd);
      }
      d = this.resolve(hint, src, hint.offset!, Math.min(hint.end!, src.length), p);
    }

    for (let i = finishers.length - 1; i >= 0; i--) {
      let covered = 0;
      for (let j = finishers[i].after; j < layers.length; j++) {
        const l = layers[j];
        if (!l.source) covered = Math.max(covered, l.offset + l.length);
      }
      try {
        finishers[i].fn(covered);
      } catch {
        // A trailer that cannot be read is left out; the layers above are already complete.
      }
    }

    if (frameLayer && tree) {
      // The frame itself is no protocol in frame.protocols (tshark: `eth:ethertype:ip:tcp`).
      const chain = p.protocols.slice(1).join(':');
      frameLayer.items.push({
        abbrev: 'frame.protocols',
        label: `[Protocols in frame: ${chain}]`,
        offset: 0,
        length: 0,
        value: chain,
        generated: true,
      });
    }
    if (cols && !p.columns.protocol)
      p.columns.protocol = layers[layers.length - 1]?.proto.toUpperCase() ?? '';
    const out: Dissection = {
      frame: frame.number,
      layers,
      columns: p.columns,
      protocols: p.protocols,
      sources: p.sources,
    };
    if (p.messages) out.messages = p.messages;
    return out;
  }

  /** Where a waiting hint's payload lies: its own new data source, or the source it came from. */
  private settle(
    w: Pending,
    p: PacketInfo,
  ): { src: Uint8Array; source: number; start: number; declaredEnd: number } {
    const h = w.hint;
    if (h.data) {
      p.sources.push({ name: h.dataName ?? 'Reassembled', bytes: h.data });
      return {
        src: h.data,
        source: p.sources.length,
        start: h.offset ?? 0,
        declaredEnd: h.end ?? h.data.length,
      };
    }
    return { src: w.src, source: w.source, start: h.offset ?? 0, declaredEnd: h.end ?? w.end };
  }

  /** A layer stopped by `e`: the cursor is marked truncated or malformed (with its expert note). */
  private failed(c: Cursor, proto: string, e: Error, p: PacketInfo): void {
    const name = proto.toUpperCase();
    if (e instanceof ShortRead && e.kind === 'truncated') {
      c.truncated = true;
      if (c.tree)
        c.items.push({
          abbrev: '_ws.short',
          label: `[Packet size limited during capture: ${name} truncated]`,
          offset: e.at,
          length: 0,
          value: null,
          generated: true,
        });
      // Wireshark appends these notes to Info with no separator ("Raw packet data[Packet size…]").
      if (p.cols) p.columns.info += '[Packet size limited during capture]';
      return;
    }
    const msg =
      e instanceof ShortRead
        ? `Malformed Packet: ${name} (needed ${e.wanted} byte${e.wanted === 1 ? '' : 's'} at offset ${e.at}, layer ends at ${c.declaredEnd})`
        : `Malformed Packet: ${name} (dissector error: ${e.message})`;
    c.expert('_ws.malformed', 'error', 'malformed', msg, e instanceof ShortRead ? e.at : c.start, 0);
    c.malformed = true;
    p.protocols.push('_ws.malformed');
    if (p.cols) p.columns.info += '[Malformed Packet]';
  }

  private frameLayer(data: Uint8Array, f: FrameMeta, s: Session): Layer {
    const c = new Cursor(data, 0, data.length, true);
    const F = frameFields;
    const ts = { sec: f.tsSec, nsec: f.tsNsec };
    // Packet comments come first, each with a Comment-level expert note, as Wireshark shows them.
    const comments = f.comments ?? (f.comment !== undefined ? [f.comment] : []);
    if (comments.length) {
      const group = c.label('Packet comments', 0, 0);
      c.within(group, () => {
        for (const text of comments) {
          const it = c.generated(F.comment, text, text);
          c.within(it, () => c.expert('frame.comment.expert', 'comment', 'comment', text, 0, 0));
        }
      });
    }
    // pcap has no sections or interface blocks, and tshark then shows neither.
    if (s.interfaceIds) {
      if (f.section !== undefined) c.generated(F.section_number, f.section + 1);
      const id = c.generated(
        F.interface_id,
        f.ifid,
        `Interface id: ${f.ifid}${f.ifname ? ` (${f.ifname})` : ''}`,
      );
      c.within(id, () => {
        if (f.ifname !== undefined) c.generated(F.interface_name, f.ifname);
        if (f.ifdescription !== undefined) c.generated(F.interface_description, f.ifdescription);
      });
    }
    // tshark shows Wireshark's own encapsulation number here, not the pcap LINKTYPE (SLL2: 210, not 276).
    c.generated(F.encap_type, wtapEncap(f.linktype));
    c.generated(F.time, ts);
    c.generated(F.time_epoch, ts);
    const prev = s.prevTs?.(f.number) ?? null;
    c.generated(F.time_delta, prev ? diff(f.tsSec, f.tsNsec, prev[0], prev[1]) : { sec: 0, nsec: 0 });
    c.generated(F.time_relative, diff(f.tsSec, f.tsNsec, s.firstSec, s.firstNsec));
    c.generated(F.number, f.number);
    c.generated(F.len, f.origlen, `Frame Length: ${f.origlen} bytes (${f.origlen * 8} bits)`);
    c.generated(F.cap_len, f.caplen, `Capture Length: ${f.caplen} bytes (${f.caplen * 8} bits)`);
    return {
      proto: 'frame',
      name: 'Frame',
      summary: `Frame ${f.number}: ${f.origlen} bytes on wire (${f.origlen * 8} bits), ${f.caplen} bytes captured (${f.caplen * 8} bits)${s.interfaceIds ? ` on interface ${f.ifname ?? 'unknown'}, id ${f.ifid}` : ''}`,
      place: null,
      offset: 0,
      length: data.length,
      headerLength: 0,
      items: c.items,
      experts: c.experts,
      malformed: false,
      truncated: f.caplen < f.origlen,
    };
  }
}

/**
 * A copy of `h` with its range settled, always in one object shape. (A spread of the dissectors'
 * hints made objects of many shapes on the hottest line of the index pass: measured, the index
 * pass took 1.7× as long with it.)
 */
function hintAt(h: NextHint, offset: number, end: number): NextHint {
  return {
    table: h.table,
    key: h.key,
    keys: h.keys,
    proto: h.proto,
    offset,
    end,
    data: h.data,
    dataName: h.dataName,
    context: h.context,
  };
}

function noFinish(): void {}

/** Pushes `more` so that popping yields them in order, before anything queued earlier. */
function queueMore(
  waiting: Pending[] | null,
  more: readonly NextHint[],
  src: Uint8Array,
  source: number,
  end: number,
): Pending[] {
  const w = waiting ?? [];
  for (let i = more.length - 1; i >= 0; i--) w.push({ hint: more[i], src, source, end });
  return w;
}

function diff(s1: number, n1: number, s0: number, n0: number): { sec: number; nsec: number } {
  let sec = s1 - s0;
  let nsec = n1 - n0;
  if (nsec < 0 && sec > 0) {
    nsec += 1e9;
    sec -= 1;
  }
  return { sec, nsec };
}
