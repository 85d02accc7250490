// The link, network and transport dissectors: what the index pass dissects (with its fast path,
// shared/index/fast-path.ts). Application protocols are the application pass's (./index.ts).
// A module of its own so that what runs only the index pass (`wirescope info`) loads no
// application dissector.
import { Engine, type Dissector } from '../dissect/engine';
import * as arp from './arp';
import * as eth from './eth';
import * as icmp from './icmp';
import * as icmpv6 from './icmpv6';
import * as ip from './ip';
import * as ipv6 from './ipv6';
import * as nul from './null';
import { plainHead } from './plain-head';
import * as raw from './raw';
import * as sll from './sll';
import * as tcp from './tcp';
import * as udp from './udp';
import * as vlan from './vlan';

export const transportDissectors: readonly Dissector[] = [
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
];

/** An engine with the link to transport dissectors only: the index pass's. */
export function createTransportEngine(): Engine {
  const engine = new Engine(transportDissectors);
  engine.head = plainHead();
  return engine;
}
