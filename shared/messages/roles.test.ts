// Roles from the evidence a conversation gives, endpoint text as Wireshark writes it, and the
// `tcp:N` / `udp:N` names.
import { describe, expect, it } from 'vitest';
import { endpoint, RoleEvidence } from './roles';
import { parseStreamRef, streamName } from './source';

describe('RoleEvidence', () => {
  it('the SYN sender is the client, whatever the application says', () => {
    const e = new RoleEvidence();
    e.noteSyn(1, false);
    e.noteApp(1, 'http', 'server');
    expect(e.decide()).toEqual({ a: 'Server', b: 'Client', basis: 'syn' });
  });

  it('without the SYN, the receiver of the SYN-ACK is the client', () => {
    const e = new RoleEvidence();
    e.noteSyn(0, true);
    expect(e.decide()).toEqual({ a: 'Server', b: 'Client', basis: 'syn-ack' });
  });

  it('without a handshake, the first message that names its sender decides', () => {
    const e = new RoleEvidence();
    e.noteApp(0, 'websocket', undefined);
    e.noteApp(1, 'tls', 'client');
    e.noteApp(0, 'tls', 'client');
    expect(e.decide()).toEqual({ a: 'Server', b: 'Client', basis: 'protocol', proto: 'tls' });
  });

  it('DNS names its server the resolver', () => {
    const e = new RoleEvidence();
    e.noteApp(0, 'dns', 'client');
    expect(e.decide()).toEqual({ a: 'Client', b: 'Resolver', basis: 'protocol', proto: 'dns' });
  });

  it('nothing to go on: Peer A and Peer B', () => {
    const e = new RoleEvidence();
    e.noteApp(0, 'data', undefined);
    expect(e.decide()).toEqual({ a: 'Peer A', b: 'Peer B', basis: 'none' });
  });
});

describe('endpoints and stream names', () => {
  it('IPv4 plain, IPv6 in brackets (RFC 5952)', () => {
    expect(endpoint(Uint8Array.from([127, 0, 0, 1]), 8080).text).toBe('127.0.0.1:8080');
    const v6 = new Uint8Array(16);
    v6[15] = 1;
    expect(endpoint(v6, 443)).toEqual({ address: '::1', port: 443, text: '[::1]:443' });
  });

  it('tcp:N and udp:N, nothing else', () => {
    expect(parseStreamRef('tcp:12')).toEqual({ proto: 'tcp', stream: 12 });
    expect(parseStreamRef(' udp:0 ')).toEqual({ proto: 'udp', stream: 0 });
    for (const bad of ['tcp', 'tcp:', 'tcp:-1', 'sctp:1', 'tcp:1.5', 'TCP:1', 'tcp:99999999999'])
      expect(parseStreamRef(bad), bad).toBeNull();
    expect(streamName({ proto: 'udp', stream: 3 })).toBe('udp:3');
  });
});
