// The engine every command (and every share of a parallel pass) dissects with: all dissectors,
// the project's and the user's .proto schemas, and the command's `-d` overrides.
import type { Engine } from '../../shared/dissect/engine';
import { allProtocols } from '../../shared/dissect/fields';
import { createEngine } from '../../shared/dissectors';
import { useProjectProtos } from '../protos/load-protos';
import { UsageError, type DecodeAs } from './args';
import { closest } from './suggest';

/** An engine with the command's decode-as overrides; an unknown protocol is a usage error. */
export function engineWith(decodeAs: readonly DecodeAs[]): Engine {
  const engine = createEngine();
  useProjectProtos(engine);
  for (const d of decodeAs) {
    if (!engine.dissector(d.proto)) {
      const near = closest(
        d.proto,
        allProtocols().map((p) => p.abbrev),
      );
      throw new UsageError(
        `-d ${d.table}==…,${d.proto}: no dissector named "${d.proto}"${near ? ` (did you mean "${near}"?)` : ''}`,
      );
    }
    for (const k of d.keys) engine.decodeAs(d.table, k, d.proto);
  }
  return engine;
}
