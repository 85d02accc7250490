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
  pending(netType: number, src: Uint8Array, dst: Uint8Array, frame: number): Map<number, PendingEcho> {
    let id = this.hosts.find(netType, src, dst, 0, 0);
    if (id < 0) id = this.hosts.create(netType, src, dst, 0, 0, frame);
    return (this.unmatched[id] ??= new Map());
  }

  link(a: number, b: number, ns: number): void {
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
