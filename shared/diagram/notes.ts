// Notes where the chapter puts them ("TCP 3-way handshake", "Connection established",
// "TLS handshake", "Encrypted communication", "WebSocket connection established"…), placed from
// what the messages of each conversation say. A note is anchored *before* a message of the full
// list (both levels); the layout draws it before the first shown message at or after its anchor,
// so switching levels keeps it in the right place.
import type { Message, MessageLevel } from '../messages/messages';
import { tcpKind } from './labels';

export type NoteKind =
  | 'tcp-handshake'
  | 'connected'
  | 'tcp-close'
  | 'tcp-reset'
  | 'tls-handshake'
  | 'encrypted'
  | 'ws-upgrade'
  | 'ws-established'
  | 'h2-preface';

export interface DiagramNote {
  kind: NoteKind;
  text: string;
  stream: string;
  /** Index in the message list the note goes before (list length: after the last message). */
  before: number;
  /** The levels whose diagram shows it. */
  levels: readonly MessageLevel[];
  /** The conversation's two endpoints (the note spans their lifelines). */
  from: Message['from'];
  to: Message['to'];
}

const BOTH: readonly MessageLevel[] = ['transport', 'application'];
const TRANSPORT: readonly MessageLevel[] = ['transport'];

/** The notes of a diagram of `messages` (in frame order, both levels or one). */
export function placeNotes(messages: readonly Message[]): DiagramNote[] {
  const notes: DiagramNote[] = [];
  const byStream = new Map<string, number[]>();
  messages.forEach((m, i) => {
    let l = byStream.get(m.stream);
    if (!l) byStream.set(m.stream, (l = []));
    l.push(i);
  });
  for (const [stream, idx] of byStream) {
    const first = messages[idx[0]];
    const add = (kind: NoteKind, text: string, before: number, levels = BOTH) =>
      notes.push({ kind, text, stream, before, levels, from: first.from, to: first.to });
    const at = (pred: (m: Message, k: number) => boolean, from = 0): number => {
      for (let k = from; k < idx.length; k++) if (pred(messages[idx[k]], k)) return k;
      return -1;
    };
    const tcp = (m: Message) => m.level === 'transport' && m.protocol === 'TCP';
    // An application message's note goes before its frame's transport segment too.
    const frameStart = (k: number): number => {
      let i = idx[k];
      while (i > 0 && messages[i - 1].frame === messages[i].frame) i--;
      return i;
    };

    // TCP: the handshake, the moment it is established, and the end.
    const syn = at((m) => tcp(m) && tcpKind(m) === 'SYN');
    const synAck = at((m) => tcp(m) && tcpKind(m) === 'SYN-ACK', Math.max(0, syn));
    if (syn >= 0) add('tcp-handshake', 'TCP 3-way handshake', idx[syn], TRANSPORT);
    if (synAck >= 0) {
      const opener = messages[idx[synAck]].to.text;
      const ack = at((m) => tcp(m) && m.from.text === opener && !/SYN|RST/.test(m.flags ?? ''), synAck + 1);
      if (ack >= 0) {
        // Before whatever follows the handshake's last ACK (at the application level: before the
        // first thing the protocol said).
        const next = ack + 1 < idx.length ? idx[ack + 1] : messages.length;
        add('connected', 'Connection established', next);
      }
    }
    const end = at((m) => tcp(m) && /FIN|RST/.test(m.flags ?? ''), Math.max(0, synAck));
    if (end >= 0) {
      const rst = /RST/.test(messages[idx[end]].flags ?? '');
      add(
        rst ? 'tcp-reset' : 'tcp-close',
        rst ? 'Connection reset' : 'Connection termination',
        idx[end],
        TRANSPORT,
      );
    }

    // TLS: the handshake, then encrypted traffic once the client has finished its part (its
    // ChangeCipherSpec; TLS 1.3 without one: its first encrypted record after ServerHello).
    const app = (m: Message) => m.level === 'application';
    const hello = at((m) => app(m) && m.protocol === 'TLS' && /^ClientHello/.test(m.label));
    if (hello >= 0) {
      add('tls-handshake', 'TLS handshake', frameStart(hello));
      const client = messages[idx[hello]].from.text;
      const serverHello = at((m) => app(m) && /^ServerHello/.test(m.label), hello);
      let done = at(
        (m) => app(m) && m.protocol === 'TLS' && m.from.text === client && m.label === 'ChangeCipherSpec',
        hello,
      );
      if (done < 0 && serverHello >= 0)
        done = at(
          (m) =>
            app(m) && m.protocol === 'TLS' && m.from.text === client && /^Application Data/.test(m.label),
          serverHello,
        );
      if (done >= 0) {
        const frame = messages[idx[done]].frame;
        const enc = at((m) => app(m) && /^Application Data/.test(m.label) && m.frame > frame, done);
        if (enc >= 0) add('encrypted', 'Encrypted communication', frameStart(enc));
      }
    }

    // WebSocket: the HTTP upgrade request, and the connection once the server said 101.
    const upgrade = at((m) => app(m) && m.protocol === 'HTTP' && /Upgrade: websocket/i.test(m.label));
    if (upgrade >= 0) {
      add('ws-upgrade', 'HTTP upgrade request', frameStart(upgrade));
      const ok = at((m) => app(m) && m.protocol === 'HTTP' && /^(HTTP\/1\.1 )?101\b/.test(m.label), upgrade);
      if (ok >= 0) {
        // After the 101 and the transport segments of its frame.
        const okFrame = messages[idx[ok]].frame;
        const next = at((m) => m.frame > okFrame, ok + 1);
        add('ws-established', 'WebSocket connection established', next >= 0 ? idx[next] : messages.length);
      }
    }

    const preface = at((m) => app(m) && m.protocol === 'HTTP2' && /^Magic/.test(m.label));
    if (preface >= 0) add('h2-preface', 'HTTP/2 connection preface', frameStart(preface));
  }
  return notes.sort((a, b) => a.before - b.before);
}
