// The Mermaid text the exporter writes: escaping, arrows, order (exact text). The grammar check
// on real captures is tests/diagram/captures.test.ts.
import { describe, expect, it } from 'vitest';
import type { Message } from '../messages/messages';
import { endpoint } from '../messages/roles';
import { layoutDiagram } from './layout';
import { mermaidArrow, mermaidText, toMermaid } from './mermaid';

const C = endpoint(new Uint8Array([127, 0, 0, 1]), 40000);
const S = endpoint(new Uint8Array([127, 0, 0, 1]), 8080);

function m(frame: number, dir: 0 | 1, p: Partial<Message>): Message {
  return {
    id: `${frame}:${p.level ?? 'transport'}:0`,
    level: 'transport',
    frame,
    frames: [frame],
    time: { sec: 0, nsec: frame * 1000 },
    relative: '0',
    stream: 'tcp:0',
    direction: dir,
    from: dir ? S : C,
    to: dir ? C : S,
    fromRole: dir ? 'Server' : 'Client',
    toRole: dir ? 'Client' : 'Server',
    protocol: 'TCP',
    label: '',
    detail: '',
    ...p,
  };
}

describe('Mermaid text', () => {
  it('escapes what would end a statement, start a comment or an entity, or be read as HTML', () => {
    expect(mermaidText('a;b#c<br>%%d\ne')).toBe('a#59;b#35;c#lt;br#gt;#37;#37;d e');
  });

  it('draws bare ACKs dotted and resets crossed', () => {
    expect(mermaidArrow(m(1, 0, { flags: 'ACK', ackOnly: true }))).toBe('-->>');
    expect(mermaidArrow(m(1, 0, { flags: 'RST, ACK' }))).toBe('-x');
    expect(mermaidArrow(m(1, 0, { flags: 'SYN' }))).toBe('->>');
  });

  it('writes participants, arrows and notes in diagram order', () => {
    const ms = [
      m(1, 0, { flags: 'SYN', label: '[SYN] Seq=0 Win=1 Len=0' }),
      m(2, 1, { flags: 'SYN, ACK', label: '[SYN, ACK] Seq=0 Ack=1 Win=1 Len=0' }),
      m(3, 0, { flags: 'ACK', label: '[ACK] Seq=1 Ack=1 Win=1 Len=0', ackOnly: true }),
      m(4, 0, {
        level: 'application',
        id: '4:application:0',
        protocol: 'HTTP',
        label: 'GET /a;b#c?x=<y>',
      }),
    ];
    const text = toMermaid(layoutDiagram(ms, { level: 'both', spacing: 'even' }), { title: 'demo; 1' });
    expect(text).toBe(
      [
        'sequenceDiagram',
        '    title demo#59; 1',
        '    participant P1 as Client 127.0.0.1:40000',
        '    participant P2 as Server 127.0.0.1:8080',
        '    Note over P1,P2: TCP 3-way handshake',
        '    P1->>P2: SYN (seq=0)',
        '    P2->>P1: SYN-ACK (seq=0, ack=1)',
        '    P1-->>P2: ACK (seq=1, ack=1)',
        '    Note over P1,P2: Connection established',
        '    P1->>P2: GET /a#59;b#35;c?x=#lt;y#gt;',
        '',
      ].join('\n'),
    );
  });
});
