// Protocol hierarchy statistics (tshark -z io,phs, ui/cli/tap-protohierstat.c).
//
// tshark walks the top-level items of each frame's tree: every protocol layer, in order, is one
// level deeper in the hierarchy, and a frame counts once (frames, and its length on the wire as
// bytes) at every node of its chain. Siblings keep the order in which they were first seen.
// Wirescope's layers are those top-level items, with these differences from Wireshark's tree:
// - `frame` is left out (tshark skips it too: it is the root, not a child).
// - tshark shows a `tcp.segments` node (the "[N Reassembled TCP Segments]" item, top-level in
//   its tree, added after the reassembled PDU's own items): Wirescope adds it after the layers
//   that come from a TCP-reassembled data source. (Where tshark also shows a trailing item for
//   the start of the next PDU in the same segment, Wirescope has no layer for it.)
// - The IPv6 fragment header is a layer here but inside the IPv6 item there.
// - ICMP and ICMPv6 echo data is inside the ICMP item in Wireshark's tree: no `data` node.
// - Several application PDUs in one segment are one layer each (http:http:http), as tshark's
//   items are, so they nest the same way.
import { protocolInfo } from '../dissect/fields';
import type { Dissection, LayerPlace } from '../dissect/types';

export interface PhsNode {
  proto: string;
  frames: number;
  bytes: number;
  children: PhsNode[];
}

/** The chain of protocols a frame contributes (frame left out). */
export function phsChain(d: Dissection): string[] {
  const out: string[] = [];
  let afterTcp = false;
  let inReassembled = false;
  let prev = '';
  for (const l of d.layers) {
    const p = l.proto;
    if (p === 'frame') continue;
    // Inside the IPv6 item in Wireshark's tree, not a top-level item.
    if (p === 'ipv6.fraghdr') continue;
    // ICMP's echo payload is an item inside its tree in Wireshark, not a top-level one.
    if (p === 'data' && (prev === 'icmp' || prev === 'icmpv6')) continue;
    const source = l.source ?? 0;
    if (inReassembled && source === 0) {
      out.push('tcp.segments');
      inReassembled = false;
    }
    if (afterTcp && source > 0) inReassembled = true;
    out.push(p);
    if (p === 'tcp' && source === 0) afterTcp = true;
    prev = p;
  }
  if (inReassembled) out.push('tcp.segments');
  return out;
}

export class PhsBuilder {
  readonly roots: PhsNode[] = [];
  frames = 0;
  bytes = 0;

  add(chain: readonly string[], bytes: number): void {
    this.frames++;
    this.bytes += bytes;
    let level = this.roots;
    for (const proto of chain) {
      let node: PhsNode | undefined;
      for (const n of level) {
        if (n.proto === proto) {
          node = n;
          break;
        }
      }
      if (!node) {
        node = { proto, frames: 0, bytes: 0, children: [] };
        level.push(node);
      }
      node.frames++;
      node.bytes += bytes;
      level = node.children;
    }
  }
}

/** tshark's text: `%-40s frames:%u bytes:%u`, two spaces of indent per level ("..." past 16). */
export function phsText(roots: readonly PhsNode[], filter = ''): string {
  const lines: string[] = [
    '',
    '===================================================================',
    'Protocol Hierarchy Statistics',
    `Filter: ${filter}`,
    '',
  ];
  const draw = (nodes: readonly PhsNode[], depth: number) => {
    for (const n of nodes) {
      let indent = '';
      for (let i = 0; i < depth; i++) {
        if (i > 15) {
          indent += '...';
          break;
        }
        indent += '  ';
      }
      // tshark builds the name in an 80-byte buffer.
      const name = (indent + n.proto).slice(0, 79);
      lines.push(`${name.padEnd(40)} frames:${n.frames} bytes:${n.bytes}`);
      draw(n.children, depth + 1);
    }
  };
  draw(roots, 0);
  lines.push('===================================================================');
  return lines.join('\n') + '\n';
}

/** A node with its share of all frames and bytes (0..1), for the app's tree and bands. */
export interface PhsShare {
  proto: string;
  /** Where the protocol sits in the OSI and TCP/IP models (null: no protocol of its own, e.g. tcp.segments). */
  place: LayerPlace | null;
  frames: number;
  bytes: number;
  frameShare: number;
  byteShare: number;
  children: PhsShare[];
}

export function phsShares(b: PhsBuilder): PhsShare[] {
  const map = (n: PhsNode): PhsShare => ({
    proto: n.proto,
    place: protocolInfo(n.proto)?.place ?? null,
    frames: n.frames,
    bytes: n.bytes,
    frameShare: b.frames ? n.frames / b.frames : 0,
    byteShare: b.bytes ? n.bytes / b.bytes : 0,
    children: n.children.map(map),
  });
  return b.roots.map(map);
}
