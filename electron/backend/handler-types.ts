// The handler table's type, shared by backend.ts and the handler modules it spreads in.
import type { InputOf, OutputOf, Verb } from '../../shared/contract/api';

export type Handler<V extends Verb> = (input: InputOf<V>) => Promise<OutputOf<V>> | OutputOf<V>;
export type HandlersFor<V extends Verb> = { [K in V]: Handler<K> };
