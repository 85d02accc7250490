// `wirescope diagram FILE --stream tcp:N [--stream …] [--level transport|application|both]
// [--spacing time|even] [--lifelines socket|host|stream] [--format mermaid|svg] [-d …]`: the sequence diagram of the chosen
// conversations (all of them when none is named) as Mermaid `sequenceDiagram` text or as a
// standalone SVG, from the same layout the app draws (shared/diagram).
import {
  diagramSvg,
  layoutDiagram,
  toMermaid,
  type DiagramLevel,
  type LifelineMode,
  type Spacing,
} from '../../shared/diagram';
import { buildMessages } from '../../shared/messages/messages';
import type { StreamRef } from '../../shared/messages/source';
import { readCommandArgs, sharedOption, UsageError, type DecodeAs } from './args';
import { guarded, requireStreams, withSource } from './follow';
import type { Io } from './out';

export const DIAGRAM_USAGE = `Usage: wirescope diagram FILE [--stream tcp:N|udp:N]... [--level transport|application|both]
                         [--spacing time|even] [--lifelines socket|host|stream]
                         [--format mermaid|svg] [-d TABLE==PORT,PROTO]
  the sequence diagram of the chosen conversations (all when none is named): Mermaid text
  (default) or SVG`;

export interface DiagramCommand {
  file: string;
  streams: StreamRef[];
  level: DiagramLevel;
  spacing: Spacing;
  lifelines: LifelineMode;
  format: 'mermaid' | 'svg';
  decodeAs: DecodeAs[];
}

export function parseDiagramArgs(argv: readonly string[]): DiagramCommand {
  const cmd: DiagramCommand = {
    file: '',
    streams: [],
    level: 'application',
    spacing: 'time',
    lifelines: 'socket',
    format: 'mermaid',
    decodeAs: [],
  };
  cmd.file = readCommandArgs('diagram', argv, 'd', (o) => {
    if (sharedOption('diagram', o, cmd)) return;
    switch (o.name) {
      case '--level': {
        const v = o.value();
        if (v !== 'transport' && v !== 'application' && v !== 'both')
          throw new UsageError(`diagram: --level "${v}": expected transport, application or both`);
        cmd.level = v;
        return;
      }
      case '--spacing': {
        const v = o.value();
        if (v !== 'time' && v !== 'even')
          throw new UsageError(`diagram: --spacing "${v}": expected time or even`);
        cmd.spacing = v;
        return;
      }
      case '--lifelines': {
        const v = o.value();
        if (v !== 'socket' && v !== 'host' && v !== 'stream')
          throw new UsageError(`diagram: --lifelines "${v}": expected socket, host or stream`);
        cmd.lifelines = v;
        return;
      }
      case '--format': {
        const v = o.value();
        if (v !== 'mermaid' && v !== 'svg')
          throw new UsageError(`diagram: --format "${v}": expected mermaid or svg`);
        cmd.format = v;
        return;
      }
      default:
        throw new UsageError(`diagram: unknown option "${o.name}"`);
    }
  });
  return cmd;
}

export async function runDiagram(argv: readonly string[], io: Io): Promise<number> {
  return guarded('diagram', io, async (at) => {
    if (argv.includes('-h') || argv.includes('--help')) {
      io.out.write(DIAGRAM_USAGE + '\n');
      return 0;
    }
    const cmd = parseDiagramArgs(argv);
    at.file = cmd.file;
    const text = await withSource(cmd.file, cmd.decodeAs, (src) => {
      requireStreams(src.session, cmd.streams);
      // Both levels always: notes are placed from the segments even on an application diagram.
      const { messages } = buildMessages(src, { streams: cmd.streams });
      const d = layoutDiagram(messages, { level: cmd.level, spacing: cmd.spacing, mode: cmd.lifelines });
      return cmd.format === 'svg' ? diagramSvg(d) : toMermaid(d);
    });
    io.out.write(text);
    return 0;
  });
}
