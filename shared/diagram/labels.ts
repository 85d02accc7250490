// What a sequence diagram writes on an arrow, the colour it gives it and the caption it shows while
// the arrow plays. Arrow labels are short, as the chapter draws them ("SYN (seq=0)",
// "SYN-ACK (seq=0, ack=1)"); Wireshark's full Info text stays in the message's `label` and goes
// in the tooltip and the caption. Colours are the packet list's (Wireshark's default coloring
// rules, shared/contract/coloring.ts) decided from the message alone, without a dissection.
import type { ColorRule } from '../contract/api';
import type { Message } from '../messages/messages';

/** TCP analysis marks as a reader names them (messages.ts MARKS lists the machine names). */
const MARK_TEXT: Readonly<Record<string, string>> = {
  retransmission: 'Retransmission',
  'fast-retransmission': 'Fast retransmission',
  'spurious-retransmission': 'Spurious retransmission',
  'out-of-order': 'Out-of-order',
  'previous-segment-lost': 'Previous segment not captured',
  'acked-unseen-segment': 'ACKed unseen segment',
  'window-update': 'Window update',
  'window-full': 'Window full',
  'keep-alive': 'Keep-alive',
  'keep-alive-ack': 'Keep-alive ACK',
  'dup-ack': 'Dup ACK',
  'zero-window-probe': 'Zero-window probe',
  'zero-window': 'Zero window',
  'zero-window-probe-ack': 'Zero-window probe ACK',
  'reused-ports': 'Port numbers reused',
};

export function markText(mark: string): string {
  return MARK_TEXT[mark] ?? mark;
}

/** Marks that make Wireshark colour a row "Bad TCP" (all analysis flags but these). */
const BENIGN_MARKS = new Set(['window-update', 'keep-alive', 'keep-alive-ack']);

/** Whether a transport message repeats data already sent (drawn with a retransmission mark). */
export function isRetransmission(m: Message): boolean {
  return !!m.marks?.some((k) => k.endsWith('retransmission'));
}

function flagSet(m: Message): Set<string> {
  return new Set(
    (m.flags ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function numberAfter(text: string, key: string): number | null {
  const r = new RegExp(`(?:^|\\s)${key}=(\\d+)`).exec(text);
  return r ? Number(r[1]) : null;
}

/** The TCP segment's kind as the chapter names it: SYN, SYN-ACK, FIN-ACK, RST, Data, ACK. */
export function tcpKind(m: Message): string {
  const f = flagSet(m);
  if (f.has('SYN')) return f.has('ACK') ? 'SYN-ACK' : 'SYN';
  if (f.has('RST')) return f.has('ACK') ? 'RST-ACK' : 'RST';
  if (f.has('FIN')) return f.has('ACK') ? 'FIN-ACK' : 'FIN';
  if ((m.length ?? 0) > 0) return 'Data';
  if (f.has('ACK')) return 'ACK';
  return f.size ? [...f].join('-') : 'TCP';
}

const MAX_LABEL = 64;

function clip(s: string, n = MAX_LABEL): string {
  return s.length > n ? s.slice(0, n - 1) + '\u2026' : s;
}

/** The text on the arrow. */
export function arrowLabel(m: Message): string {
  if (m.level === 'application') return clip(m.label);
  if (m.protocol === 'UDP') return `UDP ${m.length ?? 0} bytes`;
  const kind = tcpKind(m);
  const seq = numberAfter(m.label, 'Seq');
  const ack = flagSet(m).has('ACK') ? numberAfter(m.label, 'Ack') : null;
  const nums = [seq !== null ? `seq=${seq}` : '', ack !== null ? `ack=${ack}` : '']
    .filter(Boolean)
    .join(', ');
  const head = kind === 'Data' ? `Data ${m.length} bytes` : kind;
  return nums ? `${head} (${nums})` : head;
}

/** The marks a transport arrow carries (Retransmission, Dup ACK…), for a badge. */
export function arrowMarks(m: Message): string[] {
  return (m.marks ?? []).map(markText);
}

/** The coloring rule of the packet list that the message's packet would match. */
export function messageColorRule(m: Message): ColorRule {
  if (m.marks?.some((k) => !BENIGN_MARKS.has(k))) return 'bad-tcp';
  const f = m.level === 'transport' ? flagSet(m) : null;
  if (f?.has('RST')) return 'tcp-rst';
  if (m.protocol === 'HTTP' || m.protocol === 'HTTP2' || m.protocol === 'gRPC') return 'http';
  if (f && (f.has('SYN') || f.has('FIN'))) return 'tcp-syn-fin';
  if (m.protocol === 'UDP' || m.protocol === 'DNS' || m.protocol === 'MDNS' || m.protocol === 'QUIC')
    return 'udp';
  // TLS and WebSocket ride on TCP and have no rule of their own in Wireshark's defaults.
  if (m.stream.startsWith('udp:')) return 'udp';
  return 'tcp';
}

function who(role: string): string {
  return role.startsWith('Peer') ? role : `the ${role.toLowerCase()}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** TCP options the SYN proposes, in words (from Wireshark's Info text). */
function synOptions(label: string): string {
  const out: string[] = [];
  const mss = numberAfter(label, 'MSS');
  if (mss !== null) out.push(`a maximum segment size of ${mss} bytes`);
  const ws = numberAfter(label, 'WS');
  if (ws !== null) out.push(`window scaling \u00d7${ws}`);
  if (/\bSACK_PERM\b/.test(label)) out.push('selective acknowledgments');
  if (!out.length) return '';
  const last = out.pop();
  return `; it proposes ${out.length ? `${out.join(', ')} and ${last}` : last}`;
}

/**
 * One sentence saying what the message means, for the caption line under the diagram while it
 * plays. Facts come from the message (roles, flags, numbers, the dissector's label).
 */
export function caption(m: Message): string {
  const from = who(m.fromRole);
  const to = who(m.toRole);
  const marks = arrowMarks(m);
  const note = marks.length ? ` [${marks.join(', ')}]` : '';
  if (m.level === 'transport') {
    if (m.protocol === 'UDP')
      return `${capital(from)} sends a ${m.length ?? 0}-byte UDP datagram to ${to}: no handshake, no acknowledgment.${note}`;
    const seq = numberAfter(m.label, 'Seq') ?? 0;
    const ack = numberAfter(m.label, 'Ack') ?? 0;
    const len = m.length ?? 0;
    switch (tcpKind(m)) {
      case 'SYN':
        return `${capital(from)} opens a connection to ${to}: SYN with its initial sequence number ${seq} (relative)${synOptions(m.label)}.${note}`;
      case 'SYN-ACK':
        return `${capital(from)} accepts: SYN-ACK acknowledges the SYN (ack=${ack}) and sends its own initial sequence number ${seq}${synOptions(m.label)}.${note}`;
      case 'RST':
      case 'RST-ACK':
        return `${capital(from)} resets the connection: RST, nothing more will be accepted.${note}`;
      case 'FIN':
      case 'FIN-ACK':
        return `${capital(from)} has nothing more to send: FIN (seq=${seq}); ${to} may still send.${note}`;
      case 'Data':
        return `${capital(from)} sends ${len} bytes of data (seq ${seq}\u2013${seq + len - 1}, relative).${note}`;
      case 'ACK':
        return `${capital(from)} acknowledges every byte before ${ack} (relative): an ACK without data.${note}`;
      default:
        return `${capital(from)} \u2192 ${to}: ${m.label}${note}`;
    }
  }
  const l = m.label;
  if (/^101\b/.test(l) || /\b101 Switching Protocols/.test(l))
    return `${capital(from)} accepts the upgrade: 101 Switching Protocols. From here on the connection carries WebSocket frames.`;
  if (/Upgrade: websocket/i.test(l))
    return `${capital(from)} asks to upgrade the HTTP connection to a WebSocket: ${l}.`;
  if (/^DNS query /.test(l)) return `${capital(from)} asks ${to}: ${l.slice(4)}.`;
  if (/^DNS response /.test(l)) return `${capital(from)} answers: ${l.slice(4)}.`;
  if (/^ClientHello/.test(l))
    return `${capital(from)} starts the TLS handshake: ${l} (the ciphers and versions it supports).`;
  if (/^ServerHello/.test(l)) return `${capital(from)} chooses the version and cipher: ${l}.`;
  if (/^Application Data/.test(l)) return `${capital(from)} sends encrypted data: ${l}.`;
  const req = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE) (\S+)/.exec(l);
  if (req && m.protocol === 'HTTP') return `${capital(from)} sends an HTTP ${req[1]} request for ${req[2]}.`;
  if (m.protocol === 'HTTP' && /^\d{3}\b/.test(l)) return `${capital(from)} answers: ${l}.`;
  if (m.protocol === 'HTTP2') {
    if (/^Magic/.test(l))
      return `${capital(from)} opens HTTP/2 with the connection preface ("PRI * HTTP/2.0"), then its settings.`;
    if (l === 'SETTINGS ACK') return `${capital(from)} acknowledges the other side's HTTP/2 settings.`;
    if (/^SETTINGS/.test(l))
      return `${capital(from)} sends its HTTP/2 settings${firstLine(m.detail) ? `: ${firstLine(m.detail)}` : ''}.`;
    const f = /^(HEADERS|DATA) stream (\d+) (.*)$/.exec(l);
    if (f) {
      const ends = /\s*\[END_STREAM\]/.test(f[3]);
      const what = f[3].replace(/\s*\[END_STREAM\]/, '');
      const tail = ends ? `, and ends stream ${f[2]}` : '';
      return f[1] === 'DATA'
        ? `${capital(from)} sends ${what} on stream ${f[2]}${tail}; other streams share the same connection.`
        : `${capital(from)} sends headers on stream ${f[2]}: ${what}${tail}.`;
    }
  }
  if (m.protocol === 'gRPC') {
    if (/^gRPC status/.test(l)) return sentence(`${capital(from)} ends the call: ${l.slice(5)}`);
    const call = /^gRPC (?!response)(\S+)/.exec(l);
    if (call) return `${capital(from)} calls ${call[1]} (gRPC: a protobuf message in an HTTP/2 stream).`;
    if (/^gRPC response /.test(l)) return sentence(`${capital(from)} returns ${l.slice(14)}`);
  }
  if (m.protocol === 'WebSocket') {
    if (l === 'WS ping') return `${capital(from)} pings; ${to} must answer with a pong.`;
    if (l === 'WS pong') return `${capital(from)} answers the ping with a pong.`;
    if (/^WS close/.test(l)) return `${capital(from)} closes the WebSocket: ${firstLine(m.detail) || l}.`;
    if (/^WS (text|binary)/.test(l)) return `${capital(from)} sends a WebSocket frame: ${l.slice(3)}.`;
  }
  const detail = firstLine(m.detail);
  return `${capital(from)} \u2192 ${to} (${m.protocol}): ${l}${detail && detail !== l ? ` \u2014 ${detail}` : ''}`;
}

/** A full stop, unless the text already ends with one (or with an ellipsis). */
function sentence(s: string): string {
  return /[.…!?]$/.test(s) ? s : `${s}.`;
}

function firstLine(s: string | undefined): string {
  const line = (s ?? '').split('\n')[0].trim();
  return line.length > 120 ? line.slice(0, 119) + '\u2026' : line;
}
