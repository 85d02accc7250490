// Every dissector the engine knows. Each module exports `dissectors`; registration order does not
// matter (tables are keyed), except that heuristics of one table run in this order.
import { Engine, type Dissector } from '../dissect/engine';
import * as arp from './arp';
import * as dns from './dns';
import * as eth from './eth';
import * as grpc from './grpc';
import * as http from './http';
import * as httpBodies from './http-bodies';
import * as http2 from './http2';
import * as icmp from './icmp';
import * as icmpv6 from './icmpv6';
import * as ip from './ip';
import * as ipv6 from './ipv6';
import * as nul from './null';
import * as protobuf from './protobuf';
import * as quic from './quic';
import * as raw from './raw';
import * as sll from './sll';
import * as tcp from './tcp';
import * as tls from './tls';
import * as udp from './udp';
import * as vlan from './vlan';
import * as websocket from './websocket';

export const allDissectors: readonly Dissector[] = [
  ...eth.dissectors,
  ...vlan.dissectors,
  ...sll.dissectors,
  ...nul.dissectors,
  ...raw.dissectors,
  ...arp.dissectors,
  ...ip.dissectors,
  ...ipv6.dissectors,
  ...icmp.dissectors,
  ...icmpv6.dissectors,
  ...tcp.dissectors,
  ...udp.dissectors,
  ...dns.dissectors,
  // Application protocols. Heuristic order on tcp.port: the strictest tests first (a TLS record
  // header, the HTTP/2 connection preface), then HTTP's request/status line.
  ...tls.dissectors,
  ...http2.dissectors,
  ...http.dissectors,
  ...websocket.dissectors,
  ...httpBodies.dissectors,
  ...grpc.dissectors,
  ...protobuf.dissectors,
  ...quic.dissectors,
];

export function createEngine(): Engine {
  return new Engine(allDissectors);
}
