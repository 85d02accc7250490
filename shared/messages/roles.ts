// Endpoints of a conversation and the roles a sequence diagram names them by. A role is only
// claimed where the traffic says it: the sender of a SYN (without ACK) opened the connection, a
// DNS query comes from the client and its answer from the resolver, an HTTP request or a TLS
// ClientHello comes from the client (the dissectors say so through AppMessage.role). Otherwise
// the two ends are Peer A (the source of the conversation's first packet) and Peer B.
import { ipv4Text, ipv6Text } from '../dissect/format';

export interface Endpoint {
  /** Address as Wireshark prints it (127.0.0.1, ::1 in RFC 5952 form). */
  address: string;
  port: number;
  /** `127.0.0.1:8080`, `[::1]:8080` (brackets for IPv6, as tshark's follow prints nodes). */
  text: string;
}

export type RoleName = 'Client' | 'Server' | 'Resolver' | 'Peer A' | 'Peer B';

/** How a conversation's roles were decided, for a tooltip ("why is this the client?"). */
export type RoleBasis = 'syn' | 'syn-ack' | 'protocol' | 'none';

export interface ConversationRoles {
  /** Role of endpoint A (the source of the conversation's first packet) and of endpoint B. */
  a: RoleName;
  b: RoleName;
  basis: RoleBasis;
  /** The protocol that named the roles when basis is 'protocol' (dns, http, tls…). */
  proto?: string;
}

/** Address bytes as text: 4 bytes IPv4, 16 bytes IPv6, anything else as hex. */
export function addressText(b: Uint8Array): string {
  if (b.length === 4) return ipv4Text(b);
  if (b.length === 16) return ipv6Text(b);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i ? ':' : '') + b[i].toString(16).padStart(2, '0');
  return s;
}

export function endpoint(address: Uint8Array, port: number): Endpoint {
  const a = addressText(address);
  return { address: a, port, text: address.length === 16 ? `[${a}]:${port}` : `${a}:${port}` };
}

/** What decides the roles of one conversation, gathered while its frames are read. */
export class RoleEvidence {
  /** Direction (0 = A→B, 1 = B→A) of the first SYN without ACK, and of the first SYN-ACK. */
  syn: -1 | 0 | 1 = -1;
  synAck: -1 | 0 | 1 = -1;
  /** First application message that named its sender's role. */
  appDir: -1 | 0 | 1 = -1;
  appRole: 'client' | 'server' | '' = '';
  appProto = '';
  /** Some application protocol that names its server specially (DNS: "Resolver"). */
  dns = false;
  /** Some application message was seen (its protocol is known). */
  sawApp = false;

  noteSyn(dir: 0 | 1, ack: boolean): void {
    if (!ack && this.syn < 0) this.syn = dir;
    if (ack && this.synAck < 0) this.synAck = dir;
  }

  noteApp(dir: 0 | 1, proto: string, role: 'client' | 'server' | undefined): void {
    this.sawApp = true;
    if (proto === 'dns') this.dns = true;
    if (!role || this.appDir >= 0) return;
    this.appDir = dir;
    this.appRole = role;
    this.appProto = proto;
  }

  /**
   * The roles. The handshake wins over the application (a SYN is unambiguous; an application
   * message could come from either end of, say, a peer-to-peer protocol); the SYN-ACK's
   * receiver is the client when the SYN itself was not captured.
   */
  decide(): ConversationRoles {
    const server: RoleName = this.dns ? 'Resolver' : 'Server';
    if (this.syn >= 0) return clientIs(this.syn === 0, server, 'syn');
    if (this.synAck >= 0) return clientIs(this.synAck === 1, server, 'syn-ack');
    if (this.appDir >= 0) {
      const senderIsClient = this.appRole === 'client';
      const aIsClient = (this.appDir === 0) === senderIsClient;
      return { ...clientIs(aIsClient, server, 'protocol'), proto: this.appProto };
    }
    return { a: 'Peer A', b: 'Peer B', basis: 'none' };
  }
}

function clientIs(aIsClient: boolean, server: RoleName, basis: RoleBasis): ConversationRoles {
  return aIsClient ? { a: 'Client', b: server, basis } : { a: server, b: 'Client', basis };
}
