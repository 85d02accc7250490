// Mermaid's sequenceDiagram grammar (mermaid 11/12, src/diagrams/sequence/parser/sequenceDiagram.jison),
// as far as the exporter's statements use it, checked line by line without the mermaid package
// (not a project dependency). Mermaid first swaps entity codes (`#35;`, `#lt;`: /#\w+;/) for
// placeholders (mermaidAPI encodeEntities), then lexes: each line must be one of the statement
// forms below, whose text stops at `#`, `;` or a newline; participants are declared before use.
/** The statement forms the exporter writes, as Mermaid's lexer reads them. */
export const MERMAID_LINE = [
  /^sequenceDiagram$/,
  /^ {4}title [^#;\n]+$/,
  /^ {4}participant P\d+ as [^#;\n]+$/,
  /^ {4}P\d+(->>|-->>|-x)P\d+: [^#;\n]+$/,
  /^ {4}Note over P\d+(,P\d+)?: [^#;\n]+$/,
];

/** What Mermaid's encodeEntities leaves for the lexer: entity codes become placeholders. */
export function encodeEntities(text: string): string {
  return text.replace(/#\w+;/g, (e) =>
    /^#\d+;$/.test(e)
      ? `\ufb02\u00b0\u00b0${e.slice(1, -1)}\u00b6\u00df`
      : `\ufb02\u00b0${e.slice(1, -1)}\u00b6\u00df`,
  );
}

export function checkMermaid(text: string): string[] {
  const problems: string[] = [];
  const lines = encodeEntities(text).trimEnd().split('\n');
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    if (!MERMAID_LINE.some((r) => r.test(line))) problems.push(`line ${i + 1} is no statement: ${line}`);
    const p = /^ {4}participant (P\d+) /.exec(line);
    if (p) ids.add(p[1]);
    for (const used of line.matchAll(/\b(P\d+)\b(?=[-,:]|(?:->>|-->>|-x))/g))
      if (!line.includes('participant') && !ids.has(used[1]))
        problems.push(`line ${i + 1}: ${used[1]} used before it is declared`);
  });
  if (lines[0] !== 'sequenceDiagram') problems.push('the first line must be sequenceDiagram');
  return problems;
}
