// The current step's packet going down the sender's TCP/IP stack (each header added, with its
// real size from the dissection), across the wire, and up the receiver's stack (each header
// removed), on the window's one playback clock. It re-renders on every clock tick through the
// narrowest subscription (the position); it is a dozen shapes, so React draws it directly rather
// than a d3 join (STYLE.md's split is for views with many animated parts).
import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import type { Message } from '../../../shared/messages/messages';
import { useAppStore } from '../../state';
import { LAYER_VAR } from '../../theme/layer-colors';
import { encapsulate, headersAt, phaseAt, STACK, type Encapsulated, type Header } from './encapsulation';

interface Props {
  message: Message | null;
  width: number;
  height: number;
  fs: number;
}

interface Segment {
  key: string;
  name: string;
  size: string;
  fill: string;
  opacity: number;
}

function segments(e: Encapsulated, shown: Header[], fading: Header | null, fade: number): Segment[] {
  // Outermost header first, as on the wire: [link][internet][transport][data].
  const out: Segment[] = [];
  const list = [...shown].sort((a, b) => rank(b) - rank(a));
  for (const h of list)
    out.push({
      key: h.tcpip,
      name: h.protos.join('+'),
      size: `${h.bytes} B`,
      fill: LAYER_VAR[h.tcpip],
      opacity: h === fading ? 0.35 + 0.65 * fade : 1,
    });
  out.push({
    key: 'data',
    name: e.dataProtos.length ? e.dataProtos.join('/') : 'Data',
    size: `${e.data} B`,
    fill: LAYER_VAR.application,
    opacity: 1,
  });
  return out;
}

/** The PDU each layer hands down, as the chapter names them. */
function pduName(layer: number, udp: boolean): string {
  return ['Data', udp ? 'Datagram' : 'Segment', 'Packet', 'Frame'][layer];
}

const rank = (h: Header) => STACK.findIndex((s) => s.id === h.tcpip);

export function Encapsulation({ message, width, height, fs }: Props) {
  const detail = useAppStore((s) => s.detail);
  const position = useAppStore((s) => s.playPosition);
  const enc = useMemo(
    () =>
      detail && message && detail.frame === message.frame
        ? encapsulate(detail.dissection, detail.bytes.length)
        : null,
    [detail, message],
  );
  const wireH = fs * 3;
  const stackW = width * 0.46;
  const rowH = (height - wireH - fs * 2.2) / 4;
  const top = fs * 2.2;
  const y = scaleLinear()
    .domain([0, 4])
    .range([top, top + rowH * 4]);
  const xs = scaleLinear()
    .domain([0, 1])
    .range([stackW / 2, width - stackW / 2]);

  const phase = phaseAt(position - Math.floor(position));
  // The stacks stand where the lifelines do (clients on the left): a reply travels right to left.
  const flip =
    !!message &&
    (message.fromRole === 'Server' || message.fromRole === 'Resolver' || message.toRole === 'Client');
  const sx = flip ? 1 : 0;
  const rx = flip ? 0 : 1;
  let bx = xs(sx);
  let by = y(0.5);
  let shown: Header[] = [];
  let fading: Header | null = null;
  let fade = 1;
  let active = -1;
  let say = '';
  if (enc) {
    if (phase.side === 'sender') {
      active = phase.level;
      by = y(phase.level + 0.5);
      shown = headersAt(enc, phase.level);
      fading = shown.find((h) => rank(h) === phase.level) ?? null;
      fade = Math.min(1, phase.t * 2);
      say = fading
        ? `${STACK[phase.level].title}: ${fading.protos.join(' + ')} adds a ${fading.bytes}-byte header`
        : `${STACK[phase.level].title}: ${enc.data} bytes of data to send`;
    } else if (phase.side === 'wire') {
      shown = enc.headers;
      bx = xs(flip ? 1 - phase.t : phase.t);
      by = top + rowH * 4 + wireH / 2;
      say = `On the wire: ${enc.total} bytes`;
    } else {
      active = phase.level;
      bx = xs(rx);
      by = y(phase.level + 0.5);
      shown = headersAt(enc, phase.level);
      fading = shown.find((h) => rank(h) === phase.level) ?? null;
      fade = Math.max(0, 1 - phase.t * 2);
      say = fading
        ? `${STACK[phase.level].title}: ${fading.protos.join(' + ')} header (${fading.bytes} bytes) removed`
        : `${STACK[phase.level].title}: ${enc.data} bytes delivered`;
    }
  }
  const segs = enc ? segments(enc, shown, fading, fade) : [];
  const segW = segs.map((g) => Math.max(g.name.length, g.size.length) * fs * 0.62 + fs * 0.8);
  const total = segW.reduce((a, w) => a + w, 0);
  const segX = segW.map((_, i) => segW.slice(0, i).reduce((a, w) => a + w, 0));
  const udp = !!enc?.headers.some((h) => h.protos.includes('UDP'));
  const stack = (side: 'sender' | 'receiver') => {
    const cx = side === 'sender' ? xs(sx) : xs(rx);
    const who = message ? (side === 'sender' ? message.fromRole : message.toRole) : '';
    const addr = message ? (side === 'sender' ? message.from.text : message.to.text) : '';
    const on = enc && phase.side === side;
    return (
      <g className="enc-stack" key={side}>
        <text x={cx} y={fs * 0.9} textAnchor="middle" className="enc-who">
          {who}
        </text>
        <text x={cx} y={fs * 1.9} textAnchor="middle" className="enc-addr">
          {addr}
        </text>
        {STACK.map((s, i) => (
          <g key={s.id}>
            <rect
              x={cx - stackW / 2}
              y={y(i)}
              width={stackW}
              height={rowH - 4}
              rx={6}
              className={`enc-layer${on && active === i ? ' active' : ''}`}
              style={{ stroke: LAYER_VAR[s.id] }}
            />
            <text x={cx - stackW / 2 + fs * 0.5} y={y(i) + fs * 1.2} className="enc-layer-name">
              {s.title}
            </text>
            <text x={cx + stackW / 2 - fs * 0.5} y={y(i) + fs * 1.2} textAnchor="end" className="enc-addr">
              {pduName(i, udp)}
            </text>
          </g>
        ))}
      </g>
    );
  };

  return (
    <svg
      className="enc"
      width={width}
      height={height}
      role="img"
      aria-label={`Encapsulation: ${say}`}
      style={{ fontSize: fs }}
    >
      <line
        className="enc-wire"
        x1={xs(0)}
        x2={xs(1)}
        y1={top + rowH * 4 + wireH / 2}
        y2={top + rowH * 4 + wireH / 2}
      />
      <text x={width / 2} y={top + rowH * 4 + wireH / 2 - fs * 0.5} textAnchor="middle" className="enc-addr">
        wire
      </text>
      {stack('sender')}
      {stack('receiver')}
      {enc && (
        <g
          transform={`translate(${Math.min(width - total - 4, Math.max(4, bx - total / 2))}, ${by - fs * 1.1})`}
        >
          {segs.map((g, i) => (
            <g key={g.key} opacity={g.opacity} className="enc-seg-box">
              <rect x={segX[i]} y={0} width={segW[i] - 3} height={fs * 2.6} rx={4} style={{ fill: g.fill }} />
              <text x={segX[i] + segW[i] / 2} y={fs * 1.1} textAnchor="middle" className="enc-seg">
                {g.name}
              </text>
              <text x={segX[i] + segW[i] / 2} y={fs * 2.25} textAnchor="middle" className="enc-seg size">
                {g.size}
              </text>
            </g>
          ))}
        </g>
      )}
      <text x={width / 2} y={height - fs * 0.3} textAnchor="middle" className="enc-say" data-testid="enc-say">
        {enc ? say : message ? 'Loading the packet…' : ''}
      </text>
    </svg>
  );
}
