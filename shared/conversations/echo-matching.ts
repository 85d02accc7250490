// Echo request ↔ reply matching, shared by ICMP and ICMPv6 (Wireshark's icmp.resp_in/resp_to/
// resptime and their icmpv6 twins). Requests wait per host pair, keyed by what the reply will
// carry (expected checksum, identifier, sequence number); the first pass links the two frames,
// later visits read the link back.
import { ensure } from './grow';
import { ConversationTable } from './table';

export interface PendingEcho {
  frame: number;
  sec: number;
  nsec: number;
  /** The reply that answered it, 0 while none has. */
  resp: number;
}

export class EchoMatcher {
  readonly hosts = new ConversationTable();
  readonly unmatched: Map<number, PendingEcho>[] = [];
  /** Per frame: the matching reply (for a request) or request (for a reply); 0 when none. */
  peer = new Uint32Array(1024);
  /** Per reply frame: nanoseconds since its request. */
  rttNs = new Float64Array(1024);

  /** Requests waiting for a reply between these two hosts. */
  private pending(
    netType: number,
    src: Uint8Array,
    dst: Uint8Array,
    frame: number,
  ): Map<number, PendingEcho> {
    let id = this.hosts.find(netType, src, dst, 0, 0);
    if (id < 0) id = this.hosts.create(netType, src, dst, 0, 0, frame);
    return (this.unmatched[id] ??= new Map());
  }

  /** First pass: a request waits for the reply that will carry `replyKey`. */
  request(
    netType: number,
    src: Uint8Array,
    dst: Uint8Array,
    frame: number,
    sec: number,
    nsec: number,
    replyKey: number,
  ): void {
    this.pending(netType, src, dst, frame).set(replyKey, { frame, sec, nsec, resp: 0 });
  }

  /**
   * A reply: on the first pass, matched to its waiting request by `key` (first reply wins); on a
   * later visit, read back. Returns the request's frame and the nanoseconds between, or null.
   */
  reply(
    visited: boolean,
    netType: number,
    src: Uint8Array,
    dst: Uint8Array,
    frame: number,
    sec: number,
    nsec: number,
    key: number,
  ): { request: number; ns: number } | null {
    if (visited) {
      const request = this.peerOf(frame);
      return request ? { request, ns: this.rttNs[frame] } : null;
    }
    const t = this.pending(netType, src, dst, frame).get(key);
    if (!t || t.resp !== 0) return null;
    t.resp = frame;
    const ns = (sec - t.sec) * 1e9 + (nsec - t.nsec);
    this.link(t.frame, frame, ns);
    return { request: t.frame, ns };
  }

  private link(a: number, b: number, ns: number): void {
    const n = Math.max(a, b);
    this.peer = ensure(this.peer, n, Uint32Array);
    this.rttNs = ensure(this.rttNs, n, Float64Array);
    this.peer[a] = b;
    this.peer[b] = a;
    this.rttNs[b] = ns;
  }

  peerOf(frame: number): number {
    return frame < this.peer.length ? this.peer[frame] : 0;
  }
}
