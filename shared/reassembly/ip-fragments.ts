// IP fragment reassembly for IPv4 (RFC 791 §3.2, keyed by source, destination, protocol and
// identification) and IPv6 (RFC 8200 §4.5, keyed by source, destination and identification).
//
// State is built on the first, in-order pass only. While a datagram is incomplete its fragments'
// bytes are copied and held; when the last gap closes the datagram is assembled once, the frame that
// closed it is recorded, and the copies are dropped. Later visits rebuild the datagram from the
// recorded fragment frames (Session.frameBytes), so whole datagrams are not kept for the capture's
// lifetime. Fragments that did not come straight from the frame (inside reassembled or decoded
// data) keep their copies, since frameBytes cannot give them back.
//
// Overlaps: the first bytes to arrive win (a later fragment only fills gaps), and the overlap is
// recorded so the dissector can say so. Wireshark instead lets later data overwrite earlier data
// and flags conflicts; first-arrival is the stricter, RFC 5722 minded choice. A datagram that never
// completes is never reassembled: its fragments stay fragments.

/** One fragment as recorded: where it sits in the datagram and where its bytes are in its frame. */
export interface FragmentRecord {
  frame: number;
  /** Offset of this fragment's data in the datagram. */
  offset: number;
  length: number;
  /** Offset of the fragment's data in its frame (or in `copy`'s source). */
  at: number;
  /** Bytes kept when they cannot be re-read from the frame later. */
  copy?: Uint8Array;
  /** This fragment's bytes overlapped bytes that had already arrived. */
  overlap: boolean;
  /** The bytes are the frame's own, so they can be re-read later instead of kept. */
  inFrame: boolean;
}

export interface Datagram {
  key: string;
  fragments: FragmentRecord[];
  /** Datagram length, known once the last fragment (MF = 0) arrived; -1 before. */
  total: number;
  /** Frame that completed the datagram; 0 while incomplete. */
  completedIn: number;
  /** The datagram held more than one last fragment, or data past the last one. */
  multipleTails: boolean;
  tooLong: boolean;
}

export interface FragmentInput {
  frame: number;
  /** Data of this fragment: its bytes are data[at, at + length). */
  data: Uint8Array;
  at: number;
  length: number;
  offset: number;
  more: boolean;
  /** Whether `data` is the frame's own bytes (source 0), re-readable through frameBytes. */
  inFrame: boolean;
}

/** Largest datagram either protocol allows (IPv4 total length and IPv6 payload length are 16-bit). */
const MAX_DATAGRAM = 65535;

export class FragmentTable {
  private readonly open = new Map<string, Datagram>();
  /** `frame/at` → the datagram that fragment belongs to. */
  private readonly byFragment = new Map<string, Datagram>();

  /**
   * First pass: records a fragment. Returns the reassembled bytes when this fragment completed
   * its datagram, else null.
   */
  add(key: string, f: FragmentInput): Uint8Array | null {
    let d = this.open.get(key);
    if (!d) {
      d = { key, fragments: [], total: -1, completedIn: 0, multipleTails: false, tooLong: false };
      this.open.set(key, d);
    }
    const end = f.offset + f.length;
    let overlap = false;
    for (const r of d.fragments) if (f.offset < r.offset + r.length && r.offset < end) overlap = true;
    if (!f.more) {
      if (d.total >= 0 && d.total !== end) d.multipleTails = true;
      else d.total = end;
    }
    if (end > MAX_DATAGRAM) d.tooLong = true;
    // The copy is held until the datagram completes, and for good when the frame cannot give it back.
    const copy = f.data.slice(f.at, f.at + f.length);
    d.fragments.push({
      frame: f.frame,
      offset: f.offset,
      length: f.length,
      at: f.at,
      copy,
      overlap,
      inFrame: f.inFrame,
    });
    this.byFragment.set(`${f.frame}/${f.at}`, d);
    if (d.total < 0 || d.tooLong || !covers(d)) return null;
    const out = assemble(d, (r) => r.copy ?? null);
    d.completedIn = f.frame;
    this.open.delete(key);
    for (const r of d.fragments) if (r.inFrame) delete r.copy;
    return out;
  }

  /** The datagram a fragment (identified by its frame and the offset of its data) belongs to. */
  datagram(frame: number, at: number): Datagram | undefined {
    return this.byFragment.get(`${frame}/${at}`);
  }

  /**
   * Rebuilds a completed datagram on a later visit. `current` gives this frame's bytes (the frame
   * being dissected may not be reachable through frameBytes yet); returns null if a fragment's
   * frame is unavailable.
   */
  rebuild(
    d: Datagram,
    current: { frame: number; data: Uint8Array },
    frameBytes: ((n: number) => Uint8Array | null) | null,
  ): Uint8Array | null {
    return assemble(d, (r) => {
      if (r.copy) return r.copy;
      const bytes = r.frame === current.frame ? current.data : (frameBytes?.(r.frame) ?? null);
      if (!bytes || r.at + r.length > bytes.length) return null;
      return bytes.subarray(r.at, r.at + r.length);
    });
  }
}

/** Whether the fragments cover [0, total) without a gap. */
function covers(d: Datagram): boolean {
  const sorted = [...d.fragments].sort((a, b) => a.offset - b.offset);
  let reach = 0;
  for (const r of sorted) {
    if (r.offset > reach) return false;
    reach = Math.max(reach, r.offset + r.length);
  }
  return reach >= d.total;
}

/** Lays fragments out in arrival order, each filling only bytes not yet written (first wins). */
function assemble(d: Datagram, bytesOf: (r: FragmentRecord) => Uint8Array | null): Uint8Array | null {
  const out = new Uint8Array(d.total);
  const written = new Uint8Array(d.total);
  for (const r of d.fragments) {
    const b = bytesOf(r);
    if (!b) return null;
    const end = Math.min(r.offset + r.length, d.total);
    for (let i = r.offset; i < end; i++) {
      if (written[i]) continue;
      out[i] = b[i - r.offset];
      written[i] = 1;
    }
  }
  return out;
}

/** Session state key and constructor, shared by the IPv4 and IPv6 dissectors. */
export const IP_FRAG_STATE = 'ip.frag';
export function newFragmentTable(): FragmentTable {
  return new FragmentTable();
}

/** Key text for a datagram: version, addresses, identification and (IPv4) protocol. */
export function fragmentKey(
  version: 4 | 6,
  src: Uint8Array,
  dst: Uint8Array,
  id: number,
  proto: number,
): string {
  let s = `${version}|${id}|${proto}|`;
  for (let i = 0; i < src.length; i++) s += String.fromCharCode(src[i]);
  s += '|';
  for (let i = 0; i < dst.length; i++) s += String.fromCharCode(dst[i]);
  return s;
}
