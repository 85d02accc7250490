// Where the layer stack's shapes go, in pixels, for a given width and root font size: the OSI
// column, the bands, the TCP/IP column, and the envelopes (each protocol's box holds the boxes of
// what it carries; its own header sits in the box's bottom strip, on its OSI row). Text is fitted
// with a measuring function the view passes in (canvas in the page, an estimate in tests), so the
// layout stays a pure function.
import type { TcpIpLayer } from '../../../shared/dissect/types';
import {
  bytesText,
  emptyText,
  OSI_NAME,
  runs,
  type EmptyReason,
  type Osi,
  type StackLayer,
  type StackModel,
} from './stack-model';

/** Width in px of `text` at `sizePx`, bold or not. */
export type Measure = (text: string, sizePx: number, bold?: boolean) => number;

/** A rough measure for tests and for a first paint before fonts are known (UI sans-serif). */
export const estimateText: Measure = (text, size, bold) => text.length * size * (bold ? 0.6 : 0.55);

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TextLine {
  text: string;
  /** The untruncated text (for the title/tooltip when `text` was cut). */
  full: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

export interface OsiCell extends Box {
  osi: Osi;
  /** The model rows it spans (indices into StackModel.rows). */
  first: number;
  last: number;
  num: TextLine;
  name: TextLine;
  /** No protocol of this packet fills it (drawn hatched). */
  empty: boolean;
  tcpip: TcpIpLayer;
}

export interface TcpIpCell extends Box {
  tcpip: TcpIpLayer;
  name: TextLine;
  empty: boolean;
}

export interface Band {
  tcpip: TcpIpLayer;
  /** Polygon points from the OSI cell's right edge to the TCP/IP cell's left edge. */
  points: [number, number][];
}

export interface EnvelopeShape {
  layer: StackLayer;
  /** The whole envelope: from the top of what it carries to the bottom of its own row. */
  box: Box;
  /** Its own row (the bottom strip of the box). */
  strip: Box;
  chip: Box;
  chipLines: TextLine[];
  trailer: { box: Box; lines: TextLine[] } | null;
  caption: TextLine[];
}

export interface EmptyShape {
  row: number;
  osi: Osi;
  box: Box;
  line: TextLine;
  reason: EmptyReason;
}

export interface StackLayout {
  width: number;
  height: number;
  titles: { osi: TextLine; tcpip: TextLine; packet: TextLine };
  rows: Box[];
  osi: OsiCell[];
  tcpip: TcpIpCell[];
  bands: Band[];
  envelopes: EnvelopeShape[];
  empties: EmptyShape[];
}

export interface LayoutOptions {
  width: number;
  /** Root font size in px (the font zoom). */
  rem: number;
  measure?: Measure;
}

const TCPIP_TITLE: Readonly<Record<TcpIpLayer, string>> = {
  application: 'Application',
  transport: 'Transport',
  internet: 'Internet',
  link: 'Link',
};

/** `text` cut to fit `max` px with an ellipsis (whole text when it fits; '' when nothing does). */
export function fitText(text: string, max: number, size: number, measure: Measure, bold = false): string {
  if (measure(text, size, bold) <= max) return text;
  if (measure('…', size, bold) > max) return '';
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(text.slice(0, mid).trimEnd() + '…', size, bold) <= max) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : text.slice(0, lo).trimEnd() + '…';
}

/** The first of `candidates` that fits whole, else the last one cut to fit. */
export function fitFirst(
  candidates: readonly string[],
  max: number,
  size: number,
  measure: Measure,
  bold = false,
): string {
  for (const c of candidates) if (measure(c, size, bold) <= max) return c;
  return fitText(candidates[candidates.length - 1] ?? '', max, size, measure, bold);
}

export function layoutStack(model: StackModel, opts: LayoutOptions): StackLayout {
  const rem = opts.rem;
  const measure = opts.measure ?? estimateText;
  // Below 30 rem (a laptop's side panel at a projector's zoom) the models' columns and text shrink
  // so the envelopes keep room for their words.
  const compact = opts.width < 30 * rem;
  const pad = 0.4 * rem;
  const titleH = 1.6 * rem;
  const osiW = (compact ? 6.2 : 7.4) * rem;
  const bandW = (compact ? 0.6 : 0.9) * rem;
  const tcpW = (compact ? 5.4 : 5.9) * rem;
  const gap = (compact ? 0.35 : 0.45) * rem;
  const minEnv = (compact ? 10.5 : 12) * rem;
  const layerH = 3.1 * rem;
  const emptyH = 1.7 * rem;
  const rowGap = 0.22 * rem;
  const nestPad = 0.4 * rem;
  const inset = (compact ? 0.35 : 0.45) * rem;
  const small = (compact ? 0.72 : 0.78) * rem;
  const body = (compact ? 0.8 : 0.86) * rem;

  const osiX = pad;
  const bandX = osiX + osiW;
  const tcpX = bandX + bandW;
  const envX = tcpX + tcpW + gap;
  const width = Math.max(opts.width, envX + minEnv + pad);
  const envW = width - envX - pad;

  const layerRows = model.rows.map((r, i) => (r.kind === 'layer' ? i : -1)).filter((i) => i >= 0);
  const topLayerRow = layerRows.length ? layerRows[0] : -1;
  const maxDepth = model.layers.length ? model.layers[model.layers.length - 1].depth : 0;

  // Rows, top to bottom; the nested boxes' top edges need room above the innermost envelope.
  const rows: Box[] = [];
  let y = pad + titleH;
  model.rows.forEach((r, i) => {
    if (i === topLayerRow) y += maxDepth * nestPad;
    const h = r.kind === 'layer' ? layerH : emptyH;
    rows.push({ x: osiX, y, w: width - 2 * pad, h });
    y += h + rowGap;
  });
  const height = y - rowGap + pad;

  const line = (
    text: string | readonly string[],
    x: number,
    yy: number,
    size: number,
    max: number,
    bold = false,
  ): TextLine => {
    const options = typeof text === 'string' ? [text] : text;
    return { text: fitFirst(options, max, size, measure, bold), full: options[0], x, y: yy, size, bold };
  };

  const span = (first: number, last: number) => ({
    y: rows[first].y,
    h: rows[last].y + rows[last].h - rows[first].y,
  });

  const osi: OsiCell[] = runs(model.rows, (r) => r.osi).map((run) => {
    const { y: cy, h } = span(run.first, run.last);
    const rowsIn = model.rows.slice(run.first, run.last + 1);
    const nameX = osiX + (compact ? 1.3 : 1.45) * rem;
    return {
      osi: run.key,
      first: run.first,
      last: run.last,
      tcpip: rowsIn[0].tcpip,
      x: osiX,
      y: cy,
      w: osiW,
      h,
      empty: rowsIn.every((r) => r.kind === 'empty'),
      num: line(String(run.key), osiX + 0.5 * rem, cy + h / 2, body, 1 * rem, true),
      name: line(OSI_NAME[run.key], nameX, cy + h / 2, small, osiX + osiW - nameX - 0.3 * rem),
    };
  });

  const tcpip: TcpIpCell[] = runs(model.rows, (r) => r.tcpip).map((run) => {
    const { y: cy, h } = span(run.first, run.last);
    return {
      tcpip: run.key,
      x: tcpX,
      y: cy,
      w: tcpW,
      h,
      empty: model.rows.slice(run.first, run.last + 1).every((r) => r.kind === 'empty'),
      name: line(TCPIP_TITLE[run.key], tcpX + 0.45 * rem, cy + h / 2, small, tcpW - 0.7 * rem, !compact),
    };
  });

  // A band per OSI cell, to the TCP/IP cell of the same rows: where the two models meet.
  const bands: Band[] = osi.map((c) => ({
    tcpip: c.tcpip,
    points: [
      [bandX, c.y],
      [tcpX, c.y],
      [tcpX, c.y + c.h],
      [bandX, c.y + c.h],
    ],
  }));

  const rowOfLayer = new Map<number, number>();
  model.rows.forEach((r, i) => {
    if (r.kind === 'layer') rowOfLayer.set(r.layer.depth, i);
  });

  const envelopes: EnvelopeShape[] = model.layers.map((l) => {
    const row = rows[rowOfLayer.get(l.depth)!];
    const top = topLayerRow >= 0 ? rows[topLayerRow].y - (maxDepth - l.depth) * nestPad : row.y;
    const box: Box = {
      x: envX + l.depth * inset,
      y: top,
      w: envW - 2 * l.depth * inset,
      h: row.y + row.h - top,
    };
    const strip: Box = { x: box.x, y: row.y, w: box.w, h: row.h };
    const cp = 0.28 * rem;
    // The header chip: its size over the word "header" (plain data: its size over "data").
    const isData = l.proto === 'data';
    const chipTop = isData ? bytesText(l.length) : bytesText(l.headerDeclared);
    const chipBottom = isData ? 'data' : 'header';
    const chipW = Math.max(
      3.6 * rem,
      measure(chipTop, body, true) + 0.9 * rem,
      measure(chipBottom, small) + 0.9 * rem,
    );
    const chip: Box = {
      x: strip.x + cp,
      y: strip.y + cp,
      w: Math.min(chipW, strip.w / 2),
      h: strip.h - 2 * cp,
    };
    const chipLines = [
      line(chipTop, chip.x + 0.45 * rem, chip.y + chip.h * 0.33, body, chip.w - 0.7 * rem, true),
      line(chipBottom, chip.x + 0.45 * rem, chip.y + chip.h * 0.72, small, chip.w - 0.7 * rem),
    ];
    let right = strip.x + strip.w - cp;
    let trailer: EnvelopeShape['trailer'] = null;
    if (l.trailer > 0) {
      const tw = Math.max(3.6 * rem, measure(bytesText(l.trailer), body, true) + 0.9 * rem);
      const tb: Box = { x: right - tw, y: chip.y, w: tw, h: chip.h };
      trailer = {
        box: tb,
        lines: [
          line(bytesText(l.trailer), tb.x + 0.45 * rem, tb.y + tb.h * 0.33, body, tw - 0.7 * rem, true),
          line('trailer', tb.x + 0.45 * rem, tb.y + tb.h * 0.72, small, tw - 0.7 * rem),
        ],
      };
      right = tb.x;
    }
    const cx = chip.x + chip.w + 0.55 * rem;
    const cw = Math.max(0, right - cx - 0.3 * rem);
    const flags = [
      l.malformed ? 'malformed' : '',
      l.truncated ? 'cut short by the capture' : '',
      l.rebuilt ? 'reassembled' : '',
    ]
      .filter(Boolean)
      .join(', ');
    const cut = l.headerDeclared > l.header;
    const size = isData
      ? `${bytesText(l.length)} not decoded further`
      : cut
        ? `only ${l.header} of its ${l.headerDeclared} header bytes here`
        : bytesText(l.length);
    const more = [flags, l.note ?? l.detail].filter(Boolean).join(' · ');
    const caption = [
      line(l.title, cx, strip.y + strip.h * 0.33, body, cw, true),
      line(more ? `${size} · ${more}` : size, cx, strip.y + strip.h * 0.72, small, cw),
    ];
    return { layer: l, box, strip, chip, chipLines, trailer, caption };
  });

  const empties: EmptyShape[] = [];
  model.rows.forEach((r, i) => {
    if (r.kind !== 'empty') return;
    // Inside the innermost envelope whose box reaches this row (the nearest layer row below it).
    let host: EnvelopeShape | null = null;
    if (i > topLayerRow && topLayerRow >= 0) {
      for (let j = i + 1; j < model.rows.length; j++) {
        const below = model.rows[j];
        if (below.kind === 'layer') {
          host = envelopes[below.layer.depth];
          break;
        }
      }
    }
    const x = host ? host.box.x + inset : envX;
    const w = host ? host.box.w - 2 * inset : envW;
    const box: Box = { x, y: rows[i].y, w, h: rows[i].h };
    const t = emptyText(r.reason, r.osi, model);
    empties.push({
      row: i,
      osi: r.osi,
      reason: r.reason,
      box,
      line: {
        ...line([t.full, t.short, t.shortest], x + 0.5 * rem, box.y + box.h / 2, small, w - 1 * rem),
        full: t.full,
      },
    });
  });

  const titleY = pad + titleH / 2;
  const frameNo = `Frame ${model.frame.toLocaleString('en-US')}`;
  const packetTitle = [
    `${frameNo}: each envelope carries the one above it`,
    `${frameNo}: envelopes`,
    frameNo,
  ];
  return {
    width,
    height,
    titles: {
      osi: line('OSI', osiX, titleY, small, osiW, true),
      tcpip: line('TCP/IP', tcpX, titleY, small, tcpW, true),
      packet: line(packetTitle, envX, titleY, small, envW, true),
    },
    rows,
    osi,
    tcpip,
    bands,
    envelopes,
    empties,
  };
}
