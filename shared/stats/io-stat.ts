// I/O statistics (tshark -q -z io,stat,INTERVAL[,FILTER][,FILTER]…; ui/cli/tap-iostat.c as of
// Wireshark 4.0): frames and bytes (on the wire) per time interval, one column pair per filter
// (an empty filter counts every frame).
//
// Times are whole microseconds since the first frame, rounded as tshark rounds them. An
// interval of 0, or one longer than the capture, is the whole capture in one row, printed with a
// precision chosen from the duration's magnitude. Rows run to the last interval that holds any
// of the capture's duration; the last row ends at the duration ("Dur" with whole-second
// intervals).
//
// Frames whose time goes backwards (several interfaces, reordered captures) join the latest
// interval, as tshark's forward-only buckets do.
//
// Deliberate differences: tshark's calculated columns (SUM(field), COUNT(field), AVG, MIN, MAX,
// LOAD, FRAMES, BYTES) are not supported: a column that starts with one is an error. A frame
// whose time is exactly the duration, when the duration is a whole number of intervals, is
// counted in the last row.
export interface IoStatSpec {
  /** Interval in microseconds; 0 = the whole capture. */
  intervalUs: number;
  /** Digits after the decimal point the interval was given with (tshark's invl_prec). */
  precision: number;
  /** One entry per column: the filter text, '' for every frame. */
  filters: string[];
}

const CALC = /^(COUNT|SUM|MIN|MAX|AVG|LOAD|FRAMES|BYTES)\s*\(/;

/** Parses `io,stat,INTERVAL[,FILTER]…`; a string is the error message. */
export function parseIoStat(arg: string): IoStatSpec | string {
  const usage = 'invalid "-z io,stat,<interval>[,<filter>][,<filter>]..." argument';
  const m = /^io,stat,([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?)(,.*)?$/.exec(arg);
  if (!m || arg.endsWith(',')) return usage;
  const seconds = Number(m[1]);
  if (!Number.isFinite(seconds) || seconds < 0) return usage;
  let intervalUs = 0;
  let precision = 0;
  if (seconds !== 0) {
    intervalUs = Math.floor(seconds * 1e6 + 0.5);
    if (intervalUs < 1)
      return '"-z" interval must be >=0.000001 seconds or "0" for the entire capture duration';
    precision = 6;
    for (let i = 10; i < 10_000_000; i *= 10) {
      if (intervalUs % i > 0) break;
      precision--;
    }
  }
  const filters = m[2]
    ? m[2]
        .slice(1)
        .split(',')
        .map((f) => f.trim())
    : [''];
  for (const f of filters)
    if (CALC.test(f))
      return `io,stat: calculated columns such as "${f}" are not supported (frames and bytes per filter only)`;
  return { intervalUs, precision, filters };
}

export interface IoStatColumn {
  filter: string;
  frames: number[];
  bytes: number[];
}

/** Counts frames into interval buckets, per column. */
export class IoStat {
  readonly columns: IoStatColumn[];
  /** tshark's buckets only move forward: a frame older than the current one joins it. */
  private current = 0;
  constructor(readonly spec: IoStatSpec) {
    this.columns = spec.filters.map((filter) => ({ filter, frames: [], bytes: [] }));
  }

  /** `matches[j]`: whether column j's filter selects the frame. */
  add(relUs: number, len: number, matches: readonly boolean[]): void {
    const k = Math.max(this.current, this.spec.intervalUs ? Math.floor(relUs / this.spec.intervalUs) : 0);
    this.current = k;
    for (let j = 0; j < this.columns.length; j++) {
      if (!matches[j]) continue;
      const c = this.columns[j];
      while (c.frames.length <= k) {
        c.frames.push(0);
        c.bytes.push(0);
      }
      c.frames[k]++;
      c.bytes[k] += len;
    }
  }

  /** Rows as the table prints them, for a capture lasting `durationUs`. */
  rows(durationUs: number): { startUs: number; endUs: number; frames: number[]; bytes: number[] }[] {
    const whole = this.spec.intervalUs === 0 || this.spec.intervalUs > durationUs;
    const interval = whole ? durationUs : this.spec.intervalUs;
    const n =
      whole || interval === 0 ? 1 : Math.floor(durationUs / interval) + (durationUs % interval > 0 ? 1 : 0);
    const out = [];
    for (let i = 0; i < n; i++) {
      const frames: number[] = [];
      const bytes: number[] = [];
      for (const c of this.columns) {
        let f = 0;
        let b = 0;
        // The whole-capture row takes every bucket; the last row takes any past the duration.
        const from = whole ? 0 : i;
        const to = whole || i === n - 1 ? c.frames.length - 1 : i;
        for (let k = from; k <= to; k++) {
          f += c.frames[k] ?? 0;
          b += c.bytes[k] ?? 0;
        }
        frames.push(f);
        bytes.push(b);
      }
      out.push({
        startUs: i * interval,
        endUs: i === n - 1 ? durationUs : (i + 1) * interval,
        frames,
        bytes,
      });
    }
    return out;
  }

  text(durationUs: number): string {
    return ioStatText(this, durationUs);
  }
}

function magnitude(v: number, max: number): number {
  let mag = 0;
  for (let i = 0; i < max; i++) {
    mag++;
    v = Math.floor(v / 10);
    if (v === 0) break;
  }
  return mag;
}

/** `%u.%0Nu` of a microsecond count at precision N (truncated, as tshark's integer division). */
function secsText(us: number, prec: number, width = 0): string {
  const whole = String(Math.floor(us / 1e6)).padStart(width);
  if (prec === 0) return whole;
  const dv = 10 ** (6 - prec);
  return `${whole}.${String(Math.floor((us % 1e6) / dv)).padStart(prec, '0')}`;
}

function center(label: string, width: number): string {
  const d = width - label.length;
  return ' '.repeat(Math.ceil(d / 2) + 1) + label + ' '.repeat(Math.floor(d / 2) + 1) + '|';
}

function ioStatText(io: IoStat, durationUs: number): string {
  const spec = io.spec;
  const whole = spec.intervalUs === 0 || spec.intervalUs > durationUs;
  let interval = whole ? durationUs : spec.intervalUs;
  let durMag = magnitude(Math.floor(durationUs / 1e6), 5);
  const invlMag = magnitude(Math.floor(interval / 1e6), 5);
  let prec: number;
  let borderlen: number;
  if (whole) {
    prec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
    borderlen = 30 + durMag + (prec === 0 ? 0 : prec + 1);
  } else {
    prec = spec.precision;
    borderlen = 24 + invlMag + (prec === 0 ? 0 : prec + 1);
  }
  const dv = 10 ** (6 - prec);
  const rounded = durationUs + 5 * Math.floor(dv / 10);
  if (whole) interval = rounded;
  durMag = magnitude(Math.floor(rounded / 1e6), 5);
  const invlColW = Math.max(prec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10, 12);
  borderlen = Math.max(borderlen, invlColW);

  const rows = io.rows(durationUs);
  const widths = io.columns.map((_c, j) => {
    let maxF = 0;
    let maxB = 0;
    for (const r of rows) {
      maxF = Math.max(maxF, r.frames[j]);
      maxB = Math.max(maxB, r.bytes[j]);
    }
    return { fr: Math.max(6, magnitude(maxF, 15)), val: Math.max(5, magnitude(maxB, 15)) };
  });
  let tabrowW = invlColW;
  for (const w of widths) tabrowW += w.fr + 3 + w.val + 3;
  borderlen = Math.max(borderlen, tabrowW);
  let maxFilterW = 0;
  for (const c of io.columns) maxFilterW = Math.max(maxFilterW, c.filter ? c.filter.length + 11 : 26);
  if (maxFilterW > borderlen && borderlen < 102) borderlen = Math.min(maxFilterW, 102);
  if (borderlen - tabrowW === 1) borderlen++;

  const line = (text: string) => `${text.padEnd(borderlen - 1)}|`;
  const out: string[] = ['', '='.repeat(borderlen), line('| IO Statistics'), line('|')];
  const durText = prec === 0 ? secsText(durationUs, 6) : secsText(rounded, prec);
  out.push(line(`| Duration: ${durText} secs`));
  out.push(line(`| Interval: ${secsText(interval, prec)} secs`));
  out.push(line('|'));
  io.columns.forEach((c, j) => {
    const head = j === 0 ? `| Col ${j + 1}: ` : `|${String(j + 1).padStart(6)}: `;
    if (!c.filter) {
      out.push(line(head + 'Frames and bytes'));
      return;
    }
    let filter = c.filter;
    let lead = head;
    const maxW = borderlen - 11;
    while (filter.length > maxW) {
      const part = filter.slice(0, maxW);
      const sp = part.lastIndexOf(' ');
      const len = sp > 0 ? sp : part.length;
      out.push(line(lead + part.slice(0, len)));
      filter = filter.slice(sp > 0 ? len + 1 : len);
      lead = '|        ';
    }
    out.push(line(lead + filter));
  });
  const filler = tabrowW < borderlen ? ' '.repeat(borderlen - tabrowW - 1) + '|' : '';
  out.push(`|-${'-'.repeat(borderlen - 3)}|`);
  let h1 = `|${' '.repeat(invlColW - 2)}|`;
  let h2 = `${'| Interval'.padEnd(invlColW - 1)}|`;
  io.columns.forEach((_c, j) => {
    h1 += `${String(j + 1).padEnd(widths[j].fr + widths[j].val + 5)}|`;
    h2 += center('Frames', widths[j].fr) + center('Bytes', widths[j].val);
  });
  out.push(h1 + filler, h2 + filler, `|-${'-'.repeat(tabrowW - 3)}|${filler}`);
  rows.forEach((r, i) => {
    const last = i === rows.length - 1;
    let cell: string;
    if (prec === 0) {
      const a = String(Math.floor(r.startUs / 1e6)).padStart(durMag);
      if (last) {
        const w = durMag >= 3 ? durMag + 1 : 3;
        cell = `${durMag === 1 ? '|  ' : '| '}${a} <> ${'Dur'.padEnd(w)}|`;
      } else {
        const b = String(Math.floor(r.endUs / 1e6)).padStart(durMag);
        cell = `${durMag === 1 ? '|  ' : '| '}${a} <> ${b}${durMag === 1 ? '  |' : ' |'}`;
      }
    } else {
      const end = last ? rounded : r.endUs;
      cell = `| ${secsText(r.startUs, prec, durMag)} <> ${secsText(end, prec, durMag)} |`;
    }
    io.columns.forEach((_c, j) => {
      cell += ` ${String(r.frames[j]).padStart(widths[j].fr)} | ${String(r.bytes[j]).padStart(widths[j].val)} |`;
    });
    out.push(cell + filler);
  });
  out.push('='.repeat(borderlen));
  return out.join('\n') + '\n';
}
