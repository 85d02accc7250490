// Lifelines of a sequence diagram: one per socket (IP:port) or per host (IP), named by the role
// the traffic gave it (Client, Server, Resolver…) and its address. Clients stand on the left and
// the servers they talk to on the right, as the chapter draws them; within each side, in order
// of first appearance. A person may hide, rename and reorder them; those choices are inputs here.
import type { Message } from '../messages/messages';
import type { Endpoint } from '../messages/roles';

/**
 * 'stream': per socket, and the server's side of a multiplexed connection split per stream
 * (HTTP/2 and gRPC streams, QUIC connections: Message.substream), as the chapter draws HTTP/2's
 * streams side by side; what belongs to no stream (SETTINGS, segments) stays on the socket.
 */
export type LifelineMode = 'socket' | 'host' | 'stream';

export interface Lifeline {
  /** `127.0.0.1:8080` / `[::1]:53` per socket, `127.0.0.1` per host. */
  id: string;
  /** Role(s) the endpoint played: `Client`, `Server`, `Resolver`, `Client / Server`. */
  role: string;
  /** What the header shows first: a name given by the person, else the role. */
  title: string;
  /** The address (and port), shown under the title. */
  address: string;
}

export interface LifelineOptions {
  mode?: LifelineMode;
  /** Ids the person hid. */
  hidden?: readonly string[];
  /** Names given by the person, by id. */
  names?: Readonly<Record<string, string>>;
  /** Ids in the order the person dragged them to; others follow in the default order. */
  order?: readonly string[];
}

export function endpointId(e: Endpoint, mode: LifelineMode): string {
  return mode === 'host' ? e.address : e.text;
}

/** The lifeline a message starts (`from`) or ends (`to`) on. */
export function lifelineId(m: Message, side: 'from' | 'to', mode: LifelineMode): string {
  const base = endpointId(m[side], mode);
  const role = side === 'from' ? m.fromRole : m.toRole;
  return mode === 'stream' && m.substream && role !== 'Client' ? `${base} ${m.substream}` : base;
}

const SIDE: Readonly<Record<string, number>> = {
  Client: 0,
  'Peer A': 1,
  'Peer B': 2,
  Resolver: 3,
  Server: 3,
};

/** Every lifeline the messages need (hidden ones included), in the default order. */
export function allLifelines(messages: readonly Message[], mode: LifelineMode = 'socket'): Lifeline[] {
  const seen = new Map<string, { first: number; roles: string[]; address: string }>();
  const note = (m: Message, side: 'from' | 'to', i: number) => {
    const id = lifelineId(m, side, mode);
    const role = side === 'from' ? m.fromRole : m.toRole;
    let s = seen.get(id);
    if (!s) {
      s = { first: i, roles: [], address: id };
      seen.set(id, s);
    }
    if (!s.roles.includes(role)) s.roles.push(role);
  };
  messages.forEach((m, i) => {
    note(m, 'from', i);
    note(m, 'to', i);
  });
  const rank = (roles: string[]) => Math.min(...roles.map((r) => SIDE[r] ?? 2));
  return [...seen.entries()]
    .sort(([, a], [, b]) => rank(a.roles) - rank(b.roles) || a.first - b.first)
    .map(([id, s]) => {
      const role = s.roles.join(' / ');
      return { id, role, title: role, address: s.address };
    });
}

/** The lifelines drawn: hidden ones dropped, names applied, the person's order first. */
export function lifelines(messages: readonly Message[], opts: LifelineOptions = {}): Lifeline[] {
  const all = allLifelines(messages, opts.mode ?? 'socket');
  const hidden = new Set(opts.hidden ?? []);
  const rank = new Map((opts.order ?? []).map((id, i) => [id, i]));
  const base = new Map(all.map((l, i) => [l.id, i]));
  return all
    .filter((l) => !hidden.has(l.id))
    .sort(
      (a, b) =>
        (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || base.get(a.id)! - base.get(b.id)!,
    )
    .map((l) => {
      const name = opts.names?.[l.id]?.trim();
      return name ? { ...l, title: name } : l;
    });
}

/**
 * Moves lifeline `id` to position `to` among `current` (the ids as drawn), returning the new order
 * (what LifelineOptions.order takes).
 */
export function moveLifeline(current: readonly string[], id: string, to: number): string[] {
  const rest = current.filter((x) => x !== id);
  const at = Math.max(0, Math.min(rest.length, to));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}
