// Every dissector the engine knows. Each module exports `dissectors`; registration order does not
// matter (tables are keyed), except that heuristics of one table run in this order.
import { Engine, type Dissector } from '../dissect/engine';
import { plainHead } from './plain-head';
import { transportDissectors } from './transport';
import * as dns from './dns';
import * as grpc from './grpc';
import * as http from './http';
import * as httpBodies from './http-bodies';
import * as http2 from './http2';
import * as protobuf from './protobuf';
import * as quic from './quic';
import * as tls from './tls';
import * as websocket from './websocket';

export const allDissectors: readonly Dissector[] = [
  ...transportDissectors,
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
  const engine = new Engine(allDissectors);
  engine.head = plainHead();
  return engine;
}
