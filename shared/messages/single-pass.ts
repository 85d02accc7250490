// Application messages made during the application pass itself, for a run that reads a capture
// once from start to end (`wirescope messages --level application`): the first pass collects each
// frame's messages (Engine.index with `messages` on), and this turns them into Messages as they
// come, with no second dissection of any frame (docs/decisions/single-pass-messages.md).
//
// The result equals forEachMessage's over the same capture (tests/messages/single-pass.test.ts):
// the same messages in the same order, with the same roles. Roles are the one thing a frame
// cannot always settle alone (a SYN later in the capture outranks an HTTP request earlier), so a
// message waits in a queue until its conversation's roles are final; with a handshake at the
// start of a conversation, as in most captures, that is a few frames.
import type { MessageReviser, Session } from '../dissect/packet';
import type { FirstPass } from '../dissect/engine';
import type { AppMessage } from '../dissect/types';
import { PacketFlag, type PacketIndex } from '../index/packet-index';
import { conversationOf, conversationEndpoints, directionOf, type TransportKind } from './source';
import { LOOK_AFTER_SYN, applicationMessages, type Message } from './messages';
import { RoleEvidence, type ConversationRoles, type Endpoint } from './roles';
import type { ConversationInfo } from '../conversations';

/** One conversation's state while the pass runs. */
class Conv {
  readonly ends: [Endpoint, Endpoint];
  /** SYN evidence, and the application evidence as decideRoles reads it when there is a handshake… */
  readonly withHandshake = new RoleEvidence();
  lookedH = 0;
  /** …and when there is none (looked at until a message names its sender). */
  readonly without = new RoleEvidence();
  roles: ConversationRoles | null = null;

  constructor(
    readonly name: string,
    readonly kind: TransportKind,
    readonly info: ConversationInfo,
  ) {
    this.ends = conversationEndpoints(info);
  }

  /** The roles, once nothing later in the capture can change them; null until then. */
  settled(): ConversationRoles | null {
    if (this.roles) return this.roles;
    const h = this.withHandshake;
    // The first bare SYN decides, and the Resolver naming is looked for in the frames after it.
    if (h.syn >= 0 && (h.sawApp || this.lookedH >= LOOK_AFTER_SYN)) return (this.roles = h.decide());
    // UDP has no handshake: the first message that names its sender decides.
    if (this.kind === 'udp' && this.without.appDir >= 0) return (this.roles = this.without.decide());
    return null;
  }

  /** The roles at the end of the capture, as decideRoles decides them. */
  final(): ConversationRoles {
    if (this.roles) return this.roles;
    const h = this.withHandshake;
    if (h.syn >= 0 || h.synAck >= 0) return (this.roles = h.decide());
    return (this.roles = this.without.decide());
  }
}

/** A message made, waiting for its conversation's roles (and for later frames, with a reviser). */
interface Pending {
  conv: Conv;
  msg: Message;
  revise: MessageReviser | undefined;
}

export class SinglePassMessages {
  private readonly convs: (Conv | undefined)[][] = [[], []];
  private readonly queue: Pending[] = [];
  private head = 0;

  constructor(
    private readonly index: PacketIndex,
    private readonly session: Session,
    private readonly each: (m: Message) => void,
  ) {}

  /**
   * Record i has been written by the first pass; `pass` holds its messages when it has any
   * (null or empty otherwise). Call for every record, in order.
   */
  frame(i: number, pass: FirstPass | null): void {
    const index = this.index;
    const fl = index.flags(i);
    const kind: TransportKind | null = fl & PacketFlag.tcp ? 'tcp' : fl & PacketFlag.udp ? 'udp' : null;
    const stream = index.stream(i);
    if (!kind || stream < 0) return;
    const table = this.convs[kind === 'tcp' ? 0 : 1];
    let c = table[stream];
    if (!c) {
      // The table has the conversation from its first packet on: this record's.
      const info = conversationOf(this.session, { proto: kind, stream });
      if (!info) return;
      c = table[stream] = new Conv(`${kind}:${stream}`, kind, info);
    }
    const f = i + 1;
    const ms = pass?.messages;
    if (c.roles === null) {
      const dir = directionOf(index, c.info, f);
      const tf = index.tcpFlags(i);
      if (tf & 0x02) c.withHandshake.noteSyn(dir, (tf & 0x10) !== 0);
      if (!(c.withHandshake.sawApp || c.lookedH >= LOOK_AFTER_SYN)) {
        c.lookedH++;
        if (ms) for (const m of ms) c.withHandshake.noteApp(dir, m.proto, m.role);
      }
      if (c.without.appDir < 0 && ms) for (const m of ms) c.without.noteApp(dir, m.proto, m.role);
      c.settled();
    }
    if (ms?.length) this.add(c, f, kind, ms, pass!);
    this.flush();
  }

  /** Frame of the earliest message made but not yet handed on (Infinity when none waits). */
  pendingFrom(): number {
    return this.head < this.queue.length ? this.queue[this.head].msg.frame : Infinity;
  }

  /** The capture ended: every conversation's roles are decided and every message handed on. */
  end(): void {
    for (const table of this.convs) for (const c of table) c?.final();
    this.flush(true);
  }

  private add(c: Conv, f: number, kind: TransportKind, ms: readonly AppMessage[], pass: FirstPass): void {
    const protos = pass.protos.slice(0, pass.depth);
    const made = applicationMessages(this.index, this.session, f, kind, c.name, c.info, c.ends, protos, ms);
    for (let k = 0; k < made.length; k++)
      this.queue.push({ conv: c, msg: made[k], revise: pass.revisers?.[k] });
  }

  private flush(final = false): void {
    const q = this.queue;
    let h = this.head;
    // Called for every frame; most have nothing waiting (and emptying an array is a runtime call).
    if (h === q.length) return;
    while (h < q.length) {
      const p = q[h];
      const roles = p.conv.settled();
      if (!roles) break;
      const m = p.msg;
      if (p.revise) {
        const text = p.revise(final);
        if (!text) break;
        m.label = text.label;
        m.detail = text.detail ?? '';
      }
      m.fromRole = m.direction === 0 ? roles.a : roles.b;
      m.toRole = m.direction === 0 ? roles.b : roles.a;
      this.each(m);
      h++;
    }
    // Handed-on entries are dropped in batches (shift() on a long queue is quadratic).
    if (h === q.length) {
      q.length = 0;
      h = 0;
    } else if (h > 4096 && h * 2 > q.length) {
      q.splice(0, h);
      h = 0;
    }
    this.head = h;
  }
}
