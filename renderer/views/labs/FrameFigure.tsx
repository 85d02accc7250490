// The chapter's WebSocket frame figure, filled in with the selected frame's real bits: 32 bits a
// row as RFC 6455 §5.2 draws it (FIN, RSV1-3, opcode, MASK, Payload len, extended length,
// Masking-key, Payload data), then the unmasking of the first bytes (§5.3).
import { useState } from 'react';
import { useAppStore } from '../../state';
import { bin, charOf, frameFigure, hex2, OPCODE_NAMES, wsLayers, type WsFrameFigure } from './frame-figure';

interface Cell {
  name: string;
  bits: number;
  /** The bits or bytes as sent. */
  value: string;
  /** What they mean (`= 1 text`), on a line of its own under the value. */
  meaning?: string;
  kind: string;
}

function cells(f: WsFrameFigure): Cell[] {
  const b0 = f.header[0] ?? 0;
  const out: Cell[] = [
    { name: 'FIN', bits: 1, value: f.fin ? '1' : '0', kind: 'flag' },
    { name: 'RSV1', bits: 1, value: String((b0 >> 6) & 1), kind: 'rsv' },
    { name: 'RSV2', bits: 1, value: String((b0 >> 5) & 1), kind: 'rsv' },
    { name: 'RSV3', bits: 1, value: String((b0 >> 4) & 1), kind: 'rsv' },
    {
      name: 'opcode',
      bits: 4,
      value: bin(f.opcode, 4),
      meaning: `${f.opcode} ${OPCODE_NAMES[f.opcode] ?? '?'}`,
      kind: 'opcode',
    },
    { name: 'MASK', bits: 1, value: f.masked ? '1' : '0', kind: 'flag' },
    {
      name: 'Payload len',
      bits: 7,
      value: bin(f.len7, 7),
      meaning: f.len7 >= 126 ? `${f.len7}: ${f.extBits}-bit length follows` : `${f.len7}`,
      kind: 'len',
    },
  ];
  if (f.extBits)
    out.push({ name: 'Extended payload length', bits: f.extBits, value: String(f.extLen), kind: 'len' });
  if (f.maskingKey)
    out.push({ name: 'Masking-key', bits: 32, value: f.maskingKey.map(hex2).join(' '), kind: 'key' });
  out.push({
    name: 'Payload data',
    bits: 32,
    value: `${f.length} byte${f.length === 1 ? '' : 's'}${f.masked ? ' (masked)' : ''}`,
    kind: 'payload',
  });
  return out;
}

/** The cells cut into 32-bit rows (a field crossing a row boundary continues on the next). */
function rows(list: Cell[]): { cell: Cell; span: number; cont: boolean }[][] {
  const out: { cell: Cell; span: number; cont: boolean }[][] = [[]];
  let used = 0;
  for (const cell of list) {
    let left = cell.bits;
    let cont = false;
    while (left > 0) {
      const room = 32 - used;
      const span = Math.min(room, left);
      out[out.length - 1].push({ cell, span, cont });
      used += span;
      left -= span;
      cont = true;
      if (used === 32) {
        out.push([]);
        used = 0;
      }
    }
  }
  if (!out[out.length - 1].length) out.pop();
  return out;
}

export function FrameFigure() {
  const detail = useAppStore((s) => s.detail);
  const [pick, setPick] = useState(0);
  const count = detail ? wsLayers(detail.dissection).length : 0;
  const index = Math.min(pick, Math.max(0, count - 1));
  const f = detail && count ? frameFigure(detail, index, 12) : null;

  if (!f)
    return (
      <section className="lab-card frame-fig" aria-label="WebSocket frame">
        <h3>WebSocket frame</h3>
        <p className="muted">
          {detail ? `Packet ${detail.frame} carries no WebSocket frame. ` : ''}Click a WebSocket arrow in the
          diagram to see its frame bit by bit.
        </p>
      </section>
    );
  const grid = rows(cells(f));
  return (
    <section className="lab-card frame-fig" aria-label="WebSocket frame" data-testid="frame-figure">
      <h3>
        WebSocket frame · packet {f.frame}
        {count > 1 && (
          <span className="frame-pick">
            {Array.from({ length: count }, (_, i) => (
              <button key={i} type="button" aria-pressed={i === index} onClick={() => setPick(i)}>
                {i + 1}
              </button>
            ))}
          </span>
        )}
      </h3>
      <div className="bits" role="table" aria-label="Frame header bits (RFC 6455 §5.2)">
        <div className="bits-row ruler" role="row" aria-hidden="true">
          {Array.from({ length: 32 }, (_, i) => (
            <span key={i} className="bit-no">
              {i % 8 === 0 ? i : ''}
            </span>
          ))}
        </div>
        {grid.map((r, ri) => (
          <div key={ri} className="bits-row" role="row">
            {r.map(({ cell, span, cont }, ci) => (
              <div
                key={ci}
                role="cell"
                className={`bit-cell ${cell.kind}${cont ? ' cont' : ''}`}
                style={{ gridColumn: `span ${span}` }}
                title={`${cell.name}: ${cell.value}${cell.meaning ? ` = ${cell.meaning}` : ''} (${cell.bits} bit${cell.bits === 1 ? '' : 's'})`}
                data-field={cell.name}
                data-value={cell.value}
                data-meaning={cell.meaning}
              >
                <span className={`bit-name${cell.bits === 1 ? ' stacked' : ''}`}>
                  {cont ? `${cell.name} (cont.)` : cell.name}
                </span>
                {!cont && <span className="bit-value">{cell.value}</span>}
                {!cont && cell.meaning && <span className="bit-meaning">= {cell.meaning}</span>}
              </div>
            ))}
          </div>
        ))}
      </div>
      {f.closeCode !== null && (
        <p className="frame-close">
          Close code <strong>{f.closeCode}</strong>
          {f.closeReason ? <> · reason “{f.closeReason}”</> : null}
        </p>
      )}
      {f.steps.length > 0 && (
        <div className="unmask" aria-label="Unmasking">
          <h4>
            {f.masked
              ? 'Unmasking: masked byte XOR key[i mod 4] = payload byte'
              : 'Payload (server frames are not masked)'}
          </h4>
          <table>
            <tbody>
              <tr>
                <th scope="row">i</th>
                {f.steps.map((s) => (
                  <td key={s.i} className="idx">
                    {s.i}
                  </td>
                ))}
              </tr>
              {f.masked && (
                <>
                  <tr>
                    <th scope="row">masked</th>
                    {f.steps.map((s) => (
                      <td key={s.i}>{hex2(s.masked)}</td>
                    ))}
                  </tr>
                  <tr>
                    <th scope="row">XOR key</th>
                    {f.steps.map((s) => (
                      <td key={s.i} className={`key k${s.i % 4}`}>
                        {hex2(s.key)}
                      </td>
                    ))}
                  </tr>
                </>
              )}
              <tr>
                <th scope="row">{f.masked ? '= byte' : 'byte'}</th>
                {f.steps.map((s) => (
                  <td key={s.i}>{hex2(s.unmasked)}</td>
                ))}
              </tr>
              <tr className="chars">
                <th scope="row">text</th>
                {f.steps.map((s) => (
                  <td key={s.i}>{charOf(s.unmasked)}</td>
                ))}
              </tr>
            </tbody>
          </table>
          {f.text !== null && (
            <p className="unmasked-text">
              Text: <q data-testid="frame-text">{f.text}</q>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
