// Conversations and endpoints for Ethernet, IPv4, IPv6, TCP and UDP (Wireshark's Statistics →
// Conversations / Endpoints dialogs, tshark -z conv,TYPE / endpoints,TYPE): one table per type
// behind a row of type buttons that say how many rows each has. A conversation row selects its
// first packet; a chosen row's display filter is shown above the table and applied with "Apply
// as filter", as the dialogs' button of that name does.
import { useState, type KeyboardEvent } from 'react';
import type { ConvKind } from '../../../shared/stats/conv';
import { useAppStore, useAppStoreApi } from '../../state';
import {
  CONV_TYPES,
  conversationFilter,
  countText,
  durationText,
  endpointFilter,
  endText,
} from './stats-model';

export function ConvTables({ mode }: { mode: 'conversations' | 'endpoints' }) {
  const store = useAppStoreApi();
  const entry = useAppStore((s) => s.statsEndpoints);
  const selected = useAppStore((s) => s.frame ?? 0);
  const [type, setType] = useState<ConvKind>('ip');
  /** The chosen row's filter (a row is chosen by clicking it). */
  const [chosen, setChosen] = useState<string | null>(null);
  const r = entry.result;
  if (!r) return <p className="stats-empty">{entry.loading ? `Counting ${mode}…` : ''}</p>;
  const t = r.tables.find((x) => x.type === type) ?? r.tables[0];
  const label = CONV_TYPES.find((c) => c.type === t.type)?.label ?? t.type;
  const ports = t.type === 'tcp' || t.type === 'udp';
  const apply = (text: string) => store.getState().applyFilter(text);
  const go = (frame: number) => void store.getState().goToFrame(frame);
  const choose = (filter: string, frame?: number) => {
    setChosen(filter);
    if (frame) go(frame);
  };
  const keyed = (filter: string, frame?: number) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(filter, frame);
    }
  };
  const rows = mode === 'conversations' ? t.conversations.length : t.endpoints.length;
  const more = mode === 'conversations' ? t.convMore : t.endMore;
  return (
    <div className="sc">
      <div
        className="sc-types"
        role="group"
        aria-label={`${mode === 'conversations' ? 'Conversation' : 'Endpoint'} type`}
      >
        {r.tables.map((x) => {
          const n =
            mode === 'conversations' ? x.conversations.length + x.convMore : x.endpoints.length + x.endMore;
          const name = CONV_TYPES.find((c) => c.type === x.type)?.label ?? x.type;
          return (
            <button
              key={x.type}
              type="button"
              className={`stats-choice sc-type${x.type === t.type ? ' active' : ''}`}
              aria-pressed={x.type === t.type}
              aria-label={name}
              onClick={() => {
                setType(x.type);
                setChosen(null);
              }}
            >
              {name} <span className="sc-count">{countText(n)}</span>
            </button>
          );
        })}
      </div>
      <p className="stats-summary" data-testid="conv-summary">
        {countText(rows + more)} {label} {mode === 'conversations' ? 'conversations' : 'endpoints'}
        {more > 0 ? ` (the busiest ${countText(rows)} shown)` : ''}
        {rows > 0 && !chosen
          ? mode === 'conversations'
            ? ' · click a row for its first packet and filter'
            : ' · click a row for its filter'
          : ''}
      </p>
      {chosen && (
        <div className="sc-apply">
          <button type="button" className="stats-choice" onClick={() => apply(chosen)}>
            Apply as filter
          </button>
          <code className="sc-chosen" data-testid="conv-chosen-filter">
            {chosen}
          </code>
        </div>
      )}
      <div className="stats-scroll">
        {rows === 0 ? (
          <p className="stats-empty">
            No {label} {mode} in this capture.
          </p>
        ) : mode === 'conversations' ? (
          <table className="stats-table sc-table" aria-label={`${label} conversations`}>
            <thead>
              <tr>
                <th scope="col">Address A</th>
                <th scope="col">Address B</th>
                <th scope="col" className="num" title="Packets both ways">
                  Packets
                </th>
                <th scope="col" className="num" title="Bytes on the wire both ways">
                  Bytes
                </th>
                <th scope="col" className="num" title="Packets from A to B">
                  A→B
                </th>
                <th scope="col" className="num" title="Packets from B to A">
                  B→A
                </th>
                <th scope="col" className="num" title="First to last packet">
                  Duration (s)
                </th>
              </tr>
            </thead>
            <tbody>
              {t.conversations.map((c) => {
                const filter = conversationFilter(t.type, c);
                return (
                  <tr
                    key={`${c.firstFrame}:${c.addressA}:${c.portA}:${c.addressB}:${c.portB}`}
                    className="sc-row"
                    data-first={c.firstFrame}
                    tabIndex={0}
                    aria-selected={chosen === filter}
                    aria-current={selected === c.firstFrame ? 'true' : undefined}
                    title={`Packets ${c.firstFrame}–${c.lastFrame}, from ${c.start.toFixed(3)} s; click for packet ${c.firstFrame}`}
                    onClick={() => choose(filter, c.firstFrame)}
                    onKeyDown={keyed(filter, c.firstFrame)}
                  >
                    <td className="sc-addr">{endText(t.type, c.addressA, c.portA)}</td>
                    <td className="sc-addr">{endText(t.type, c.addressB, c.portB)}</td>
                    <td className="num">{countText(c.framesAB + c.framesBA)}</td>
                    <td className="num">{countText(c.bytesAB + c.bytesBA)}</td>
                    <td className="num">{countText(c.framesAB)}</td>
                    <td className="num">{countText(c.framesBA)}</td>
                    <td className="num">{durationText(c.end - c.start)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <table className="stats-table sc-table" aria-label={`${label} endpoints`}>
            <thead>
              <tr>
                <th scope="col">Address</th>
                {ports && (
                  <th scope="col" className="num">
                    Port
                  </th>
                )}
                <th scope="col" className="num">
                  Packets
                </th>
                <th scope="col" className="num" title="Bytes on the wire, sent and received">
                  Bytes
                </th>
                <th scope="col" className="num" title="Packets sent">
                  Tx pkts
                </th>
                <th scope="col" className="num" title="Packets received">
                  Rx pkts
                </th>
                <th scope="col" className="num" title="Bytes sent">
                  Tx bytes
                </th>
                <th scope="col" className="num" title="Bytes received">
                  Rx bytes
                </th>
              </tr>
            </thead>
            <tbody>
              {t.endpoints.map((e) => {
                const filter = endpointFilter(t.type, e);
                return (
                  <tr
                    key={`${e.address}:${e.port}`}
                    className="sc-row sc-endpoint"
                    tabIndex={0}
                    aria-selected={chosen === filter}
                    onClick={() => choose(filter)}
                    onKeyDown={keyed(filter)}
                  >
                    <td className="sc-addr">{e.address}</td>
                    {ports && <td className="num">{e.port}</td>}
                    <td className="num">{countText(e.txFrames + e.rxFrames)}</td>
                    <td className="num">{countText(e.txBytes + e.rxBytes)}</td>
                    <td className="num">{countText(e.txFrames)}</td>
                    <td className="num">{countText(e.rxFrames)}</td>
                    <td className="num">{countText(e.txBytes)}</td>
                    <td className="num">{countText(e.rxBytes)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
