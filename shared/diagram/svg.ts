// The whole diagram as one standalone SVG document (export): every row, however long the
// capture, with the colours written in (no stylesheet), so it opens anywhere — a browser,
// Inkscape, a slide. The on-screen view draws only the rows in view; this draws them all, from the
// same layout and the same geometry (geometry.ts).
import { COLOR_STYLES } from '../contract/coloring';
import { arrowLabel, arrowMarks, isRetransmission, messageColorRule } from './labels';
import { gapText, type Diagram } from './layout';
import { columnX, geometry, type Geometry } from './geometry';

export interface SvgTheme {
  background: string;
  foreground: string;
  muted: string;
  noteFill: string;
  noteText: string;
  accent: string;
  font: string;
}

export const LIGHT_SVG_THEME: SvgTheme = {
  background: '#ffffff',
  foreground: '#1b1f24',
  muted: '#5b6570',
  noteFill: '#fff6cc',
  noteText: '#1b1f24',
  accent: '#0b63ce',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const f = (n: number) => (Math.round(n * 10) / 10).toString();

export interface SvgOptions {
  theme?: SvgTheme;
  /** Pixels per lifeline column. */
  laneWidth?: number;
  fontSize?: number;
  title?: string;
}

/** Approximate text width for a sans-serif face (no DOM to measure with). */
export function textWidth(s: string, fontSize: number): number {
  return s.length * fontSize * 0.56;
}

export function diagramSvg(d: Diagram, opts: SvgOptions = {}): string {
  const t = opts.theme ?? LIGHT_SVG_THEME;
  const fs = opts.fontSize ?? 16;
  const g: Geometry = geometry(d, { laneWidth: opts.laneWidth, fontSize: fs });
  const x = (i: number) => columnX(g, i);
  const width = g.width;
  const titleH = opts.title ? fs * 2.4 : 0;
  const height = titleH + g.headHeight + d.height + g.headHeight;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}" font-family="${xmlText(t.font)}" font-size="${fs}">`,
  );
  out.push(
    `<defs><marker id="ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${t.foreground}"/></marker></defs>`,
  );
  out.push(`<rect width="100%" height="100%" fill="${t.background}"/>`);
  if (opts.title)
    out.push(
      `<text x="${f(width / 2)}" y="${f(fs * 1.6)}" text-anchor="middle" font-size="${f(fs * 1.25)}" font-weight="600" fill="${t.foreground}">${xmlText(opts.title)}</text>`,
    );
  const head = (y0: number) =>
    d.lifelines.forEach((l, i) => {
      const w = g.laneWidth - 24;
      out.push(
        `<rect x="${f(x(i) - w / 2)}" y="${f(y0 + 4)}" width="${f(w)}" height="${f(g.headHeight - 8)}" rx="6" fill="${t.background}" stroke="${t.foreground}" stroke-width="2"/>`,
        `<text x="${f(x(i))}" y="${f(y0 + g.headHeight * 0.45)}" text-anchor="middle" font-weight="700" fill="${t.foreground}">${xmlText(l.title)}</text>`,
        `<text x="${f(x(i))}" y="${f(y0 + g.headHeight * 0.78)}" text-anchor="middle" font-size="${f(fs * 0.8)}" fill="${t.muted}">${xmlText(l.address)}</text>`,
      );
    });
  const top = titleH + g.headHeight;
  head(titleH);
  d.lifelines.forEach((_, i) =>
    out.push(
      `<line x1="${f(x(i))}" y1="${f(top)}" x2="${f(x(i))}" y2="${f(top + d.height)}" stroke="${t.muted}" stroke-width="2" stroke-dasharray="6 6"/>`,
    ),
  );
  for (const gap of d.gaps) {
    const y = top + gap.y;
    out.push(
      `<rect x="0" y="${f(y - 10)}" width="${f(width)}" height="20" fill="${t.background}"/>`,
      `<path d="M0,${f(y - 6)} ${zigzag(width, y - 6)}" fill="none" stroke="${t.muted}" stroke-width="1.5"/>`,
      `<path d="M0,${f(y + 6)} ${zigzag(width, y + 6)}" fill="none" stroke="${t.muted}" stroke-width="1.5"/>`,
      `<text x="${f(width - 12)}" y="${f(y + fs * 0.35)}" text-anchor="end" font-size="${f(fs * 0.8)}" fill="${t.muted}" paint-order="stroke" stroke="${t.background}" stroke-width="6">${xmlText(`${gapText(gap.seconds)} idle`)}</text>`,
    );
  }
  for (const n of d.notes) {
    const x0 = x(n.from) - g.laneWidth * 0.4;
    const x1 = x(n.to) + g.laneWidth * 0.4;
    const y = top + n.y;
    out.push(
      `<rect x="${f(x0)}" y="${f(y - fs * 0.95)}" width="${f(x1 - x0)}" height="${f(fs * 1.9)}" rx="4" fill="${t.noteFill}" stroke="${t.muted}"/>`,
      `<text x="${f((x0 + x1) / 2)}" y="${f(y + fs * 0.35)}" text-anchor="middle" font-weight="600" fill="${t.noteText}">${xmlText(n.note.text)}</text>`,
    );
  }
  for (const r of d.rows) {
    const m = r.message;
    const y = top + r.y;
    const x0 = x(r.from);
    const x1 = x(r.to);
    const style = COLOR_STYLES[messageColorRule(m)];
    const dash = m.ackOnly ? ' stroke-dasharray="8 6"' : '';
    const sw = m.level === 'application' ? 3 : 2;
    if (r.group) {
      const bx = x0 + (x1 >= x0 ? -14 : 14);
      out.push(
        `<path d="M${f(bx + (x1 >= x0 ? 6 : -6))},${f(top + r.group.y0)} H${f(bx)} V${f(y)} H${f(bx + (x1 >= x0 ? 6 : -6))}" fill="none" stroke="${t.accent}" stroke-width="2"/>`,
      );
    }
    if (r.from === r.to) {
      const w = g.laneWidth * 0.3;
      out.push(
        `<path d="M${f(x0)},${f(y - 8)} h${f(w)} v16 h${f(-w)}" fill="none" stroke="${t.foreground}" stroke-width="${sw}"${dash} marker-end="url(#ah)"/>`,
      );
    } else {
      out.push(
        `<line x1="${f(x0)}" y1="${f(y)}" x2="${f(x1)}" y2="${f(y)}" stroke="${t.foreground}" stroke-width="${sw}"${dash} marker-end="url(#ah)"/>`,
      );
    }
    if (/RST/.test(m.flags ?? ''))
      out.push(
        `<path d="M${f(x1 - 8)},${f(y - 8)} l16,16 M${f(x1 + 8)},${f(y - 8)} l-16,16" stroke="#a40000" stroke-width="3"/>`,
      );
    const marks = arrowMarks(m);
    const label = arrowLabel(m) + (marks.length ? `  [${marks.join(', ')}]` : '');
    const lx = r.from === r.to ? x0 + g.laneWidth * 0.35 : (x0 + x1) / 2;
    const anchor = r.from === r.to ? 'start' : 'middle';
    const lw = textWidth(label, fs) + 12;
    const bx = anchor === 'middle' ? lx - lw / 2 : lx - 6;
    out.push(
      `<rect x="${f(bx)}" y="${f(y - fs * 1.45)}" width="${f(lw)}" height="${f(fs * 1.25)}" rx="3" fill="${style.bg}"${isRetransmission(m) ? ' stroke="#a40000" stroke-width="2"' : ''}/>`,
      `<text x="${f(lx)}" y="${f(y - fs * 0.45)}" text-anchor="${anchor}" fill="${style.fg}"${m.level === 'application' ? ' font-weight="600"' : ''}><title>${xmlText(`${m.frame}: ${m.label}`)}</title>${xmlText(label)}</text>`,
    );
  }
  head(top + d.height);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function zigzag(width: number, y: number): string {
  const step = 12;
  let s = '';
  for (let x = step; x <= width + step; x += step) s += `L${f(x)},${f(y + ((x / step) % 2 ? 4 : -4))} `;
  return s.trim();
}
