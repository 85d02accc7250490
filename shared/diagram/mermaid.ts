// A diagram as Mermaid `sequenceDiagram` text, the chapter's own notation, so a capture can be
// pasted into a README. Built from the same layout as the drawing (same lifelines, order, names,
// notes and idle gaps).
//
// Mermaid's sequence grammar (mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison):
// - a participant line is `participant ID as ALIAS`; ALIAS runs to the end of the line and may
//   not hold `;` (a statement separator) or `#` (starts an entity code such as `#35;`);
// - a message is `ID->>ID: TEXT` (solid, arrowhead), `-->>` dotted, `-x` solid with a cross;
//   TEXT runs to the end of the line with the same two exceptions; `<br>` in it breaks the line;
// - a note is `Note over ID,ID: TEXT`.
// So IDs are plain `P1`, `P2`… (never a keyword), and text is escaped: `#` → `#35;`, `;` → `#59;`,
// `%` → `#37;` (`%%` would start a comment),
// `<` `>` → `#lt;` `#gt;` (no HTML gets through), newlines → spaces.
import type { Message } from '../messages/messages';
import { arrowLabel, arrowMarks } from './labels';
import { gapText, type Diagram } from './layout';

const ESCAPES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '<': '#lt;',
  '>': '#gt;',
  '%': '#37;',
};

export function mermaidText(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[#;<>%]/g, (c) => ESCAPES[c])
    .trim();
}

/** The arrow a message gets: dotted for a bare ACK, a cross for a reset, else solid. */
export function mermaidArrow(m: Message): string {
  if (m.level === 'transport' && /RST/.test(m.flags ?? '')) return '-x';
  if (m.ackOnly) return '-->>';
  return '->>';
}

export function mermaidLabel(m: Message): string {
  const marks = arrowMarks(m);
  return arrowLabel(m) + (marks.length ? ` [${marks.join(', ')}]` : '');
}

export interface MermaidOptions {
  /** A `title` line at the top. */
  title?: string;
}

export function toMermaid(d: Diagram, opts: MermaidOptions = {}): string {
  const ids = d.lifelines.map((_, i) => `P${i + 1}`);
  const out: string[] = ['sequenceDiagram'];
  if (opts.title) out.push(`    title ${mermaidText(opts.title)}`);
  d.lifelines.forEach((l, i) => {
    const alias = l.title === l.address ? l.title : `${l.title} ${l.address}`;
    out.push(`    participant ${ids[i]} as ${mermaidText(alias)}`);
  });
  // Rows, notes and gaps merged by y (the layout placed them; the text keeps its order).
  type Item = { y: number; text: string };
  const items: Item[] = [];
  for (const r of d.rows)
    items.push({
      y: r.y,
      text: `    ${ids[r.from]}${mermaidArrow(r.message)}${ids[r.to]}: ${mermaidText(mermaidLabel(r.message))}`,
    });
  for (const n of d.notes) {
    const over = n.from === n.to ? ids[n.from] : `${ids[n.from]},${ids[n.to]}`;
    items.push({ y: n.y, text: `    Note over ${over}: ${mermaidText(n.note.text)}` });
  }
  if (d.lifelines.length)
    for (const g of d.gaps) {
      const over = d.lifelines.length > 1 ? `${ids[0]},${ids[ids.length - 1]}` : ids[0];
      items.push({
        y: g.y,
        text: `    Note over ${over}: ${mermaidText(`\u22ef ${gapText(g.seconds)} idle \u22ef`)}`,
      });
    }
  items.sort((a, b) => a.y - b.y);
  for (const it of items) out.push(it.text);
  return out.join('\n') + '\n';
}
