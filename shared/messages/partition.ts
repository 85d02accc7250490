// Which share of a parallel application pass a packet belongs to (docs/decisions/parallel-messages.md).
// Each thread reads the whole capture and runs this on every packet; all of them must give every
// packet the same answer, and every packet whose state another can touch must land with it:
//
// - TCP over IPv4/IPv6 goes by its *address pair*, so a connection, every later connection
//   between the same two hosts (TLS resumption, DNS retried over TCP) and IP fragments of its
//   segments (which carry addresses and the protocol, but no ports) all land together.
// - Everything else (UDP with QUIC's connection migration and DNS, ARP, ICMP, other protocols,
//   link types this does not read) goes to share 0, which runs as the single pass would.
//
// A new address pair goes to the share with the least work so far (bytes, plus a constant per
// packet). Every thread sees the same packets in the same order, so they agree.
// Weighs a packet like 2 KB of bytes: per-packet work (headers, analysis, state) dominates; with
// this the two shares of the bench capture take the same time.
const PER_PACKET = 2048;
const TCP = 6;

/** Reads a packet's network layer: the address pair's key when it carries TCP, else -1. */
function tcpPairKey(b: Uint8Array, at: number, len: number, linktype: number): number {
  let off: number;
  let ethertype: number;
  switch (linktype) {
    case 1: {
      // Ethernet, with up to two VLAN tags (802.1Q, 802.1ad).
      if (len < 14) return -1;
      off = 12;
      ethertype = (b[at + off] << 8) | b[at + off + 1];
      for (let k = 0; k < 2 && (ethertype === 0x8100 || ethertype === 0x88a8); k++) {
        off += 4;
        if (len < off + 2) return -1;
        ethertype = (b[at + off] << 8) | b[at + off + 1];
      }
      off += 2;
      break;
    }
    case 113: // Linux cooked (SLL): protocol at 14, header 16 bytes.
      if (len < 16) return -1;
      ethertype = (b[at + 14] << 8) | b[at + 15];
      off = 16;
      break;
    case 276: // SLL2: protocol at 0, header 20 bytes.
      if (len < 20) return -1;
      ethertype = (b[at] << 8) | b[at + 1];
      off = 20;
      break;
    case 101: // Raw IP, and its IPv4 / IPv6 variants: the version nibble says which.
    case 228:
    case 229:
    case 12:
      if (len < 1) return -1;
      ethertype = b[at] >> 4 === 4 ? 0x0800 : b[at] >> 4 === 6 ? 0x86dd : 0;
      off = 0;
      break;
    default:
      return -1;
  }
  const ip = at + off;
  const left = len - off;
  if (ethertype === 0x0800) {
    if (left < 20 || b[ip] >> 4 !== 4 || b[ip + 9] !== TCP) return -1;
    return pairKey(b, ip + 12, ip + 16, 4);
  }
  if (ethertype === 0x86dd) {
    if (left < 40 || b[ip] >> 4 !== 6) return -1;
    // TCP after the header and any extension headers (RFC 8200 §4): hop-by-hop, routing,
    // destination options (length in 8-octet units after the first 8) and fragment (8 octets).
    let next = b[ip + 6];
    let h = 40;
    for (let k = 0; k < 8 && next !== TCP; k++) {
      if ((next !== 0 && next !== 43 && next !== 60 && next !== 44) || left < h + 8) return -1;
      const after = b[ip + h];
      h += next === 44 ? 8 : (b[ip + h + 1] + 1) * 8;
      next = after;
    }
    if (next !== TCP) return -1;
    return pairKey(b, ip + 8, ip + 24, 16);
  }
  return -1;
}

/** A 31-bit key of an unordered address pair: the same both ways. Collisions only merge pairs. */
function pairKey(b: Uint8Array, x: number, y: number, n: number): number {
  let hx = 0x811c9dc5;
  let hy = 0x811c9dc5;
  for (let k = 0; k < n; k++) {
    hx = Math.imul(hx ^ b[x + k], 0x01000193);
    hy = Math.imul(hy ^ b[y + k], 0x01000193);
  }
  // Mixed before adding, so a pair of equal halves does not cancel out.
  return (mix(hx) + mix(hy)) & 0x7fffffff;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Partition {
  private readonly owners = new Map<number, number>();
  private readonly load: Float64Array;

  constructor(readonly shares: number) {
    this.load = new Float64Array(shares);
  }

  /** The share of this packet (0 … shares-1). Call for every packet, in capture order. */
  shareOf(b: Uint8Array, at: number, caplen: number, linktype: number): number {
    const key = tcpPairKey(b, at, caplen, linktype);
    let share = 0;
    if (key >= 0) {
      const known = this.owners.get(key);
      if (known !== undefined) share = known;
      else {
        const load = this.load;
        for (let s = 1; s < load.length; s++) if (load[s] < load[share]) share = s;
        this.owners.set(key, share);
      }
    }
    this.load[share] += caplen + PER_PACKET;
    return share;
  }
}
