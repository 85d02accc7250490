// The whole diagram as a list of drawing primitives (rectangles, lines, paths, text), in paint
// order, with the colours written in. Two back-ends replay it: svg.ts writes a standalone SVG
// document; the view's PNG export paints it on a canvas (the app's CSP allows no blob: or data:
// images, so an SVG cannot be rasterised through an <img>). The on-screen view draws only the
// rows in view; the scene holds them all, however long the capture.
import { COLOR_STYLES } from '../contract/coloring';
import { arrowLabel, arrowMarks, isRetransmission, messageColorRule } from './labels';
import { gapText, type Diagram } from './layout';
import { columnX, geometry } from './geometry';
import { textWidth } from './text';

export interface SceneTheme {
  background: string;
  foreground: string;
  muted: string;
  noteFill: string;
  noteText: string;
  accent: string;
  font: string;
}

export const LIGHT_THEME: SceneTheme = {
  background: '#ffffff',
  foreground: '#1b1f24',
  muted: '#5b6570',
  noteFill: '#fff6cc',
  noteText: '#1b1f24',
  accent: '#0b63ce',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

interface Paint {
  fill?: string;
  stroke?: string;
  width?: number;
  dash?: number[];
}

export type Shape =
  | ({ kind: 'rect'; x: number; y: number; w: number; h: number; r?: number } & Paint)
  | ({ kind: 'line'; x1: number; y1: number; x2: number; y2: number } & Paint)
  /** SVG path data with absolute commands M, L, H, V, Z only (Path2D reads it too). */
  | ({ kind: 'path'; d: string } & Paint)
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      fill: string;
      anchor: 'start' | 'middle' | 'end';
      bold?: boolean;
      /** A tooltip (SVG <title>). */
      title?: string;
      /** A background-coloured outline that keeps text readable over lines. */
      halo?: string;
    };

export interface Scene {
  width: number;
  height: number;
  background: string;
  font: string;
  shapes: Shape[];
}

export interface SceneOptions {
  theme?: SceneTheme;
  laneWidth?: number;
  fontSize?: number;
  title?: string;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function arrowHead(x: number, y: number, dir: 1 | -1, size: number): string {
  return `M${r1(x)},${r1(y)} L${r1(x - dir * size)},${r1(y - size / 2)} L${r1(x - dir * size)},${r1(y + size / 2)} Z`;
}

function zigzag(width: number, y: number): string {
  const step = 12;
  let s = `M0,${r1(y)}`;
  for (let x = step, k = 1; x <= width + step; x += step, k++) s += ` L${r1(x)},${r1(y + (k % 2 ? 4 : -4))}`;
  return s;
}

export function diagramScene(d: Diagram, opts: SceneOptions = {}): Scene {
  const t = opts.theme ?? LIGHT_THEME;
  const fs = opts.fontSize ?? 16;
  const g = geometry(d, { laneWidth: opts.laneWidth, fontSize: fs });
  const x = (i: number) => columnX(g, i);
  const width = g.width;
  const titleH = opts.title ? fs * 2.4 : 0;
  const top = titleH + g.headHeight;
  const height = top + d.height + g.headHeight;
  const s: Shape[] = [];

  if (opts.title)
    s.push({
      kind: 'text',
      x: width / 2,
      y: fs * 1.6,
      text: opts.title,
      size: fs * 1.25,
      fill: t.foreground,
      anchor: 'middle',
      bold: true,
    });
  const heads = (y0: number) =>
    d.lifelines.forEach((l, i) => {
      const w = Math.min(g.laneWidth - 24, fs * 18);
      s.push(
        {
          kind: 'rect',
          x: x(i) - w / 2,
          y: y0 + 4,
          w,
          h: g.headHeight - 8,
          r: 6,
          fill: t.background,
          stroke: t.foreground,
          width: 2,
        },
        {
          kind: 'text',
          x: x(i),
          y: y0 + g.headHeight * 0.45,
          text: l.title,
          size: fs,
          fill: t.foreground,
          anchor: 'middle',
          bold: true,
        },
        {
          kind: 'text',
          x: x(i),
          y: y0 + g.headHeight * 0.78,
          text: l.address,
          size: fs * 0.8,
          fill: t.muted,
          anchor: 'middle',
        },
      );
    });
  heads(titleH);
  d.lifelines.forEach((_, i) =>
    s.push({
      kind: 'line',
      x1: x(i),
      y1: top,
      x2: x(i),
      y2: top + d.height,
      stroke: t.muted,
      width: 2,
      dash: [6, 6],
    }),
  );
  for (const gap of d.gaps) {
    const y = top + gap.y;
    s.push(
      { kind: 'rect', x: 0, y: y - 10, w: width, h: 20, fill: t.background },
      { kind: 'path', d: zigzag(width, y - 6), stroke: t.muted, width: 1.5 },
      { kind: 'path', d: zigzag(width, y + 6), stroke: t.muted, width: 1.5 },
      {
        kind: 'text',
        x: width - 12,
        y: y + fs * 0.35,
        text: `${gapText(gap.seconds)} idle`,
        size: fs * 0.8,
        fill: t.muted,
        anchor: 'end',
        halo: t.background,
      },
    );
  }
  for (const n of d.notes) {
    const x0 = Math.max(4, x(n.from) - g.laneWidth * 0.4);
    const x1 = Math.min(width - 4, x(n.to) + g.laneWidth * 0.4);
    const y = top + n.y;
    s.push(
      {
        kind: 'rect',
        x: x0,
        y: y - fs * 0.95,
        w: x1 - x0,
        h: fs * 1.9,
        r: 4,
        fill: t.noteFill,
        stroke: t.muted,
        width: 1,
      },
      {
        kind: 'text',
        x: (x0 + x1) / 2,
        y: y + fs * 0.35,
        text: n.note.text,
        size: fs,
        fill: t.noteText,
        anchor: 'middle',
        bold: true,
      },
    );
  }
  for (const r of d.rows) {
    const m = r.message;
    const y = top + r.y;
    const x0 = x(r.from);
    const x1 = x(r.to);
    const dir: 1 | -1 = x1 >= x0 ? 1 : -1;
    const style = COLOR_STYLES[messageColorRule(m)];
    const dash = m.ackOnly ? [8, 6] : undefined;
    const w = m.level === 'application' ? 3 : 2;
    if (r.group) {
      const bx = x0 - dir * 14;
      const tick = dir * 6;
      s.push({
        kind: 'path',
        d: `M${r1(bx + tick)},${r1(top + r.group.y0)} H${r1(bx)} V${r1(y)} H${r1(bx + tick)}`,
        stroke: t.accent,
        width: 2,
      });
    }
    if (r.from === r.to) {
      const lw = Math.min(g.laneWidth * 0.3, fs * 3);
      s.push(
        {
          kind: 'path',
          d: `M${r1(x0)},${r1(y - 8)} H${r1(x0 + lw)} V${r1(y + 8)} H${r1(x0 + 10)}`,
          stroke: t.foreground,
          width: w,
          dash,
        },
        { kind: 'path', d: arrowHead(x0, y + 8, -1, 10), fill: t.foreground },
      );
    } else {
      s.push(
        { kind: 'line', x1: x0, y1: y, x2: x1 - dir * 10, y2: y, stroke: t.foreground, width: w, dash },
        { kind: 'path', d: arrowHead(x1, y, dir, 12), fill: t.foreground },
      );
    }
    if (/RST/.test(m.flags ?? ''))
      s.push({
        kind: 'path',
        d: `M${r1(x1 - 8)},${r1(y - 8)} L${r1(x1 + 8)},${r1(y + 8)} M${r1(x1 + 8)},${r1(y - 8)} L${r1(x1 - 8)},${r1(y + 8)}`,
        stroke: '#a40000',
        width: 3,
      });
    s.push({
      kind: 'text',
      x: 4,
      y: y + fs * 0.3,
      text: m.relative,
      size: fs * 0.7,
      fill: t.muted,
      anchor: 'start',
    });
    const marks = arrowMarks(m);
    const label = arrowLabel(m) + (marks.length ? `  [${marks.join(', ')}]` : '');
    const self = r.from === r.to;
    const lx = self ? x0 + Math.min(g.laneWidth * 0.3, fs * 3) + fs * 0.6 : (x0 + x1) / 2;
    const lw = textWidth(label, fs, m.level === 'application') + 12;
    s.push(
      {
        kind: 'rect',
        x: self ? lx - 6 : lx - lw / 2,
        y: y - fs * 1.45,
        w: lw,
        h: fs * 1.25,
        r: 3,
        fill: style.bg,
        ...(isRetransmission(m) ? { stroke: '#a40000', width: 2 } : {}),
      },
      {
        kind: 'text',
        x: lx,
        y: y - fs * 0.45,
        text: label,
        size: fs,
        fill: style.fg,
        anchor: self ? 'start' : 'middle',
        bold: m.level === 'application',
        title: `${m.frame}: ${m.label}`,
      },
    );
  }
  heads(top + d.height);
  return { width, height, background: t.background, font: t.font, shapes: s };
}
