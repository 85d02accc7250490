// Messages on real captures: the TCP handshake of lo-http4.pcap in order with its roles and
// flags; every TCP segment's label against tshark's TCP Info column (without the ports); UDP
// lengths; DNS queries and responses from the DNS fixtures with client/resolver roles; only the
// chosen conversation's frames dissected.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMessages } from '../../shared/messages/messages';
import { framesOf } from '../../shared/messages/source';
import { tsharkFields, tsharkMissing } from '../support/tshark';
import { fixtureCaptures, openSource } from '../follow/support';

const file = (name: string) => fixtureCaptures().find((f) => basename(f) === name)!;

describe('transport messages', () => {
  it('lo-http4.pcap: the handshake in order, with roles, flags and ACK-only marks', async () => {
    const { src, close } = await openSource(file('lo-http4.pcap'));
    try {
      const r = buildMessages(src, { streams: [{ proto: 'tcp', stream: 0 }], levels: ['transport'] });
      expect(r.conversations).toHaveLength(1);
      expect(r.conversations[0].roles).toEqual({ a: 'Client', b: 'Server', basis: 'syn' });
      const m = r.messages;
      expect(m).toHaveLength(16);
      expect(m.map((x) => x.frame)).toEqual([...Array(16).keys()].map((k) => k + 1));
      expect(m.slice(0, 3).map((x) => [x.flags, x.fromRole, x.toRole, x.ackOnly])).toEqual([
        ['SYN', 'Client', 'Server', false],
        ['SYN, ACK', 'Server', 'Client', false],
        ['ACK', 'Client', 'Server', true],
      ]);
      expect(m[0].from.text).toBe('127.0.0.1:54682');
      expect(m[0].to.text).toBe('127.0.0.1:8080');
      expect(m[0].label).toBe(
        '[SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=31882267 TSecr=0 WS=1024',
      );
      expect(m[0].relative).toBe('0.000000');
      expect(m[7]).toMatchObject({ length: 1448, ackOnly: false, flags: 'ACK', direction: 1 });
      expect(m.slice(13).map((x) => x.flags)).toEqual(['FIN, ACK', 'FIN, ACK', 'ACK']);
      expect(m.every((x) => x.level === 'transport' && x.stream === 'tcp:0')).toBe(true);
    } finally {
      close();
    }
  });

  it('lo-http6.pcapng: IPv6 endpoints in brackets', async () => {
    const { src, close } = await openSource(file('lo-http6.pcapng'));
    try {
      const m = buildMessages(src, { levels: ['transport'] }).messages;
      expect(m[0].from.text).toMatch(/^\[::1\]:\d+$/);
      expect(m[0].to.text).toBe('[::1]:8080');
    } finally {
      close();
    }
  });

  it('dissects only the frames of the chosen conversation', async () => {
    const { src, close } = await openSource(file('dns-tcp.pcap'));
    try {
      const seen: number[] = [];
      const counting = {
        index: src.index,
        session: src.session,
        dissect: (f: number, tree: boolean, cols: boolean) => {
          seen.push(f);
          return src.dissect(f, tree, cols);
        },
      };
      const r = buildMessages(counting, { streams: [{ proto: 'tcp', stream: 2 }] });
      const frames = framesOf(src, [{ proto: 'tcp', stream: 2 }]);
      expect(frames).toEqual([23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]);
      // Once each for the messages, and the first frames up to the first DNS message once more
      // to learn the roles (a resolver, not just a server).
      expect(seen).toEqual([23, 24, 25, 26, ...frames]);
      expect(new Set(r.messages.map((m) => m.stream))).toEqual(new Set(['tcp:2']));
    } finally {
      close();
    }
  });

  describe.skipIf(tsharkMissing)('labels equal tshark’s TCP Info without the ports', () => {
    for (const f of fixtureCaptures()) {
      it(basename(f), async () => {
        const rows = tsharkFields(f, [
          'frame.number',
          '_ws.col.Protocol',
          'tcp.srcport',
          'tcp.dstport',
          'udp.length',
          '_ws.col.Info',
        ]);
        const { src, close } = await openSource(f);
        try {
          const byFrame = new Map(
            buildMessages(src, { levels: ['transport'] }).messages.map((m) => [m.frame, m] as const),
          );
          let compared = 0;
          for (const [n, proto, sport, dport, ulen, info] of rows) {
            const m = byFrame.get(Number(n));
            if (!m || sport.includes(',') || ulen.includes(',')) continue;
            // Where an application protocol took over the Info column there is nothing to compare.
            if (m.protocol === 'TCP' && proto === 'TCP' && info.includes(`${sport} \u2192 ${dport} `)) {
              const want = info
                .replace(`${sport} \u2192 ${dport} `, '')
                .replace(/ \[TCP segment of a reassembled PDU\]$/, '')
                // lo-snap64.pcap: options cut by the snaplen; ours stops at what was captured.
                .replace(/\[Packet size limited during capture\]$/, '');
              expect(m.label, `frame ${n}`).toBe(want);
              compared++;
            }
            if (m.protocol === 'UDP' && ulen) expect(m.length, `frame ${n}`).toBe(Number(ulen) - 8);
          }
          if (rows.some((r) => r[1] === 'TCP' && !r[2].includes(','))) expect(compared).toBeGreaterThan(0);
        } finally {
          close();
        }
      });
    }
  });
});

describe.skipIf(tsharkMissing)('application messages: DNS', () => {
  for (const name of ['dns-udp.pcap', 'dns-tcp.pcap', 'dns-odd-port.pcap']) {
    it(`${name}: one message per DNS message, client → resolver and back`, async () => {
      const f = file(name);
      const rows = tsharkFields(f, ['frame.number', 'dns.flags.response', 'dns.qry.type', 'dns.qry.name']);
      const { src, close } = await openSource(f);
      try {
        const r = buildMessages(src, { levels: ['application'] });
        const byFrame = new Map<number, typeof r.messages>();
        for (const m of r.messages) byFrame.set(m.frame, [...(byFrame.get(m.frame) ?? []), m]);
        let checked = 0;
        for (const [n, resp, types, names] of rows) {
          if (!resp) continue;
          const responses = resp.split(',');
          const ms = byFrame.get(Number(n)) ?? [];
          expect(
            ms.map((m) => m.protocol),
            `frame ${n}`,
          ).toEqual(responses.map(() => 'DNS'));
          const qtypes = types.split(',');
          const qnames = names.split(',');
          ms.forEach((m, k) => {
            const isResponse = responses[k] === '1' || responses[k] === 'True';
            expect(
              m.label.startsWith(`DNS ${isResponse ? 'response' : 'query'}`),
              `frame ${n}: ${m.label}`,
            ).toBe(true);
            // Labels stay short: a long name is cut with an ellipsis; the detail holds it whole.
            if (qnames[k]) expect(m.detail, `frame ${n}`).toContain(` ${qnames[k]}`);
            if (qnames[k] && !m.label.endsWith('\u2026'))
              expect(m.label, `frame ${n}`).toContain(` ${qnames[k]}`);
            expect(qtypes.length).toBeGreaterThan(0);
            expect([m.fromRole, m.toRole]).toEqual(
              isResponse ? ['Resolver', 'Client'] : ['Client', 'Resolver'],
            );
            checked++;
          });
        }
        expect(checked).toBeGreaterThan(1);
        // Conversations that carried DNS name their server the resolver (dns-odd-port.pcap's TCP
        // stream on port 5300 is DNS to neither us nor tshark: its server stays Server).
        const withDns = new Set(r.messages.map((m) => m.stream));
        for (const c of r.conversations)
          if (withDns.has(c.stream)) expect([c.roles.a, c.roles.b].sort()).toEqual(['Client', 'Resolver']);
      } finally {
        close();
      }
    });
  }

  it('dns-udp.pcap frames 1–2: the labels in full', async () => {
    const { src, close } = await openSource(file('dns-udp.pcap'));
    try {
      const m = buildMessages(src, {
        streams: [{ proto: 'udp', stream: 0 }],
        levels: ['application'],
      }).messages;
      expect(m.map((x) => x.label)).toEqual([
        'DNS query A example.com',
        'DNS response A example.com \u2192 192.0.2.10',
      ]);
      expect(m[0]).toMatchObject({
        frames: [1],
        stream: 'udp:0',
        level: 'application',
        id: '1:application:0',
      });
    } finally {
      close();
    }
  });
});
