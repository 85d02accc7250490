// Where the bit diagram's shapes go: 32 bits a row as in the RFCs (0 to 31 across the top), each
// field a box over its bits, cut where a row ends; its name and value fitted inside (turned on
// its side, or shortened, when the box is narrow), the bit values along the bottom of each row and
// the row's frame offset at the left, in the same hex as the bytes pane. Pure.
import { bitAt, bitsValue, type BitCell, type HeaderBits } from './header-bits';
import { estimateText, fitText, type Box, type Measure } from './stack-layout';

export interface CellPiece extends Box {
  /** Index in HeaderBits.cells. */
  cell: number;
  /** The piece that carries the cell's text (the widest; the first of equals). */
  labelled: boolean;
  /** Open edges where the cell goes on in the next/previous row. */
  continuesRight: boolean;
  continuesLeft: boolean;
}

export interface CellText {
  cell: number;
  name: string;
  value: string;
  /** Centre of the text. */
  x: number;
  nameY: number;
  valueY: number;
  size: number;
  /** The name is drawn turned 90° (narrow cells: one-bit flags). */
  vertical: boolean;
}

export interface BitLayout {
  width: number;
  height: number;
  bitW: number;
  bitsPerRow: number;
  gutter: number;
  ruler: { x: number; y: number; text: string; major: boolean }[];
  rows: { y: number; h: number; offset: string; bytes: number }[];
  pieces: CellPiece[];
  texts: CellText[];
  /** The name again, in brackets, on the pieces of a field that goes on from another row. */
  conts: { cell: number; x: number; y: number; text: string; size: number }[];
  /** One digit per bit at the bottom of its row. */
  digits: { x: number; y: number; bit: number; v: number }[];
  digitSize: number;
}

export interface BitLayoutOptions {
  width: number;
  rem: number;
  measure?: Measure;
  bitsPerRow?: number;
  /** Hex digits of frame offsets (4, or 8 past 64 KiB), as the bytes pane. */
  offsetDigits?: number;
}

export function layoutBits(h: HeaderBits, opts: BitLayoutOptions): BitLayout {
  const rem = opts.rem;
  const measure = opts.measure ?? estimateText;
  const per = opts.bitsPerRow ?? 32;
  // Narrow panels get a narrower offset gutter and narrower bits (down to 0.62 rem a bit).
  const compact = opts.width < 30 * rem;
  const pad = 0.4 * rem;
  const gutter = (compact ? 2.7 : 3.4) * rem;
  const rulerH = 1.9 * rem;
  const rowH = 3.4 * rem;
  const minBit = (compact ? 0.62 : 0.72) * rem;
  const bitW = Math.max(minBit, (opts.width - gutter - 2 * pad) / per);
  const width = gutter + 2 * pad + bitW * per;
  const x0 = pad + gutter;
  // Bit column b of a row starts at x(b). A plain linear map rather than d3's scaleLinear
  // (STYLE.md's example): the `d3` package resolves to its flat dist/d3.mjs, and importing one
  // scale from it added 250 KB to the page that has to load before the first rows.
  const x = (b: number) => x0 + b * bitW;
  const totalBits = h.bytes * 8;
  const nRows = Math.ceil(totalBits / per);
  const digitSize = Math.min(0.72 * rem, bitW * 0.8);
  const nameSize = 0.8 * rem;

  const ruler: BitLayout['ruler'] = [];
  // RFC figures number the bits in two lines: tens over units. Narrow bits get the byte marks only.
  const units = bitW >= 0.55 * rem;
  for (let b = 0; b < per; b++) {
    const cx = x(b + 0.5);
    if (b % 10 === 0) ruler.push({ x: cx, y: pad + 0.5 * rulerH * 0.9, text: String(b / 10), major: true });
    if (units) ruler.push({ x: cx, y: pad + rulerH * 0.82, text: String(b % 10), major: false });
    else if (b % 8 === 0 && b % 10 !== 0)
      ruler.push({ x: cx, y: pad + rulerH * 0.82, text: String(b), major: false });
  }

  const digits = Math.max(4, opts.offsetDigits ?? 4);
  const rows: BitLayout['rows'] = [];
  for (let r = 0; r < nRows; r++) {
    const y = pad + rulerH + r * rowH;
    const first = (r * per) / 8;
    rows.push({
      y,
      h: rowH,
      offset: (h.offset + first).toString(16).padStart(digits, '0'),
      bytes: Math.min(per / 8, h.bytes - first),
    });
  }

  const pieces: CellPiece[] = [];
  const texts: CellText[] = [];
  const conts: BitLayout['conts'] = [];
  h.cells.forEach((c, ci) => {
    const mine: CellPiece[] = [];
    for (let s = c.start; s < c.end;) {
      const r = Math.floor(s / per);
      const e = Math.min(c.end, (r + 1) * per);
      mine.push({
        cell: ci,
        x: x(s - r * per),
        y: rows[r].y,
        w: x(e - r * per) - x(s - r * per),
        h: rowH,
        labelled: false,
        continuesLeft: s > c.start,
        continuesRight: e < c.end,
      });
      s = e;
    }
    let best = mine[0];
    for (const p of mine) if (p.w > best.w + 0.5) best = p;
    best.labelled = true;
    pieces.push(...mine);
    texts.push(cellText(c, ci, best, h, { measure, nameSize, rem }));
    if (!c.gap)
      for (const p of mine) {
        if (p === best) continue;
        const room = p.w - 0.4 * rem;
        const size = nameSize * 0.85;
        const text =
          [`(${c.name})`, `(${c.short})`].find((t) => measure(t, size) <= room) ??
          fitText(`(${c.name})`, room, size, measure);
        if (text.length > 3) conts.push({ cell: ci, x: p.x + p.w / 2, y: p.y + p.h * 0.42, text, size });
      }
  });

  const bitsList: BitLayout['digits'] = [];
  for (let b = 0; b < totalBits; b++) {
    const r = Math.floor(b / per);
    bitsList.push({
      x: x(b - r * per + 0.5),
      y: rows[r].y + rowH - 0.42 * rem,
      bit: b,
      v: bitAt(h.data, b),
    });
  }

  return {
    width,
    height: pad + rulerH + nRows * rowH + pad,
    bitW,
    bitsPerRow: per,
    gutter,
    ruler,
    rows,
    pieces,
    texts,
    conts,
    digits: bitsList,
    digitSize,
  };
}

function cellText(
  c: BitCell,
  ci: number,
  p: CellPiece,
  h: HeaderBits,
  o: { measure: Measure; nameSize: number; rem: number },
): CellText {
  const room = p.w - 0.35 * o.rem;
  const size = o.nameSize;
  const cx = p.x + p.w / 2;
  const nameY = p.y + p.h * 0.3;
  const valueY = p.y + p.h * 0.58;
  const bits = c.end - c.start;
  const base: CellText = { cell: ci, name: '', value: '', x: cx, nameY, valueY, size, vertical: false };
  if (c.gap) return { ...base, name: fitText('unused', room, size, o.measure) };

  // The Wireshark name when it fits; the RFC figure's short name; smaller; turned on its side
  // (a line turned needs about its cap height across: ~0.75 of the font size); cut, at worst.
  const small = size * 0.85;
  const tall = p.h - 1.15 * o.rem;
  let name = '';
  let nameSize = size;
  let vertical = false;
  if (c.name && o.measure(c.name, size, true) <= room) name = c.name;
  else if (c.short && o.measure(c.short, size, true) <= room) name = c.short;
  else if (c.short && o.measure(c.short, small, true) <= room) {
    name = c.short;
    nameSize = small;
  } else if (c.short && o.measure(c.short, small, true) <= tall && p.w >= small * 0.75) {
    name = c.short;
    nameSize = small;
    vertical = true;
  } else {
    name = fitText(c.short || c.name, room, small, o.measure, true);
    nameSize = small;
  }
  // One bit shows its value in the digit row already; a turned name leaves no room for a value.
  let value = '';
  if (bits > 1 && !vertical) {
    const raw = bits <= 53 ? String(bitsValue(h.data, c.start, c.end)) : '';
    if (c.value && o.measure(c.value, nameSize) <= room) value = c.value;
    else if (raw && o.measure(raw, nameSize) <= room) value = raw;
    else value = fitText(c.value || raw, room, nameSize, o.measure);
  }
  return { ...base, name, value, vertical, size: nameSize };
}
