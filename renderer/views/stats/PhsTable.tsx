// Protocol hierarchy as an indented tree table (tshark -z io,phs, Wireshark's Protocol Hierarchy
// dialog): each protocol under the one that carried it, with the packets and bytes on the wire
// that reached it and their share of the whole capture, drawn as a bar.
import { useMemo, useState } from 'react';
import { useAppStore } from '../../state';
import { PhsBands } from './PhsBands';
import { countText, percentText, phsRows } from './stats-model';

export function PhsTable() {
  const entry = useAppStore((s) => s.statsPhs);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const r = entry.result;
  const rows = useMemo(() => (r ? phsRows(r.tree, collapsed) : []), [r, collapsed]);
  if (!r) return <p className="stats-empty">{entry.loading ? 'Counting protocols…' : ''}</p>;
  const toggle = (path: string) => {
    const next = new Set(collapsed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  };
  return (
    <div className="stats-scroll">
      <p className="stats-summary" data-testid="phs-total">
        {countText(r.frames)} packets · {countText(r.bytes)} bytes
      </p>
      <PhsBands tree={r.tree} />
      <table className="stats-table phs-table" aria-label="Protocol hierarchy">
        <thead>
          <tr>
            <th scope="col">Protocol</th>
            <th scope="col" className="num" title="Packets that carried this protocol">
              Packets
            </th>
            <th scope="col" title="Share of all packets">
              % Packets
            </th>
            <th scope="col" className="num" title="Bytes on the wire (frame lengths) of those packets">
              Bytes
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.path} data-path={row.path} className="phs-row">
              <td className="phs-proto" style={{ paddingLeft: `${0.4 + row.depth * 1.1}rem` }}>
                {row.hasChildren ? (
                  <button
                    type="button"
                    className="phs-toggle"
                    aria-expanded={!collapsed.has(row.path)}
                    aria-label={`${collapsed.has(row.path) ? 'Expand' : 'Collapse'} ${row.proto}`}
                    onClick={() => toggle(row.path)}
                  >
                    {collapsed.has(row.path) ? '▸' : '▾'}
                  </button>
                ) : (
                  <span className="phs-toggle" aria-hidden="true" />
                )}
                {row.proto}
              </td>
              <td className="num">{countText(row.frames)}</td>
              <td className="phs-share">
                <span className="phs-bar" aria-hidden="true">
                  <span style={{ width: `${row.frameShare * 100}%` }} />
                </span>
                <span className="phs-pct">{percentText(row.frameShare)}</span>
              </td>
              <td className="num">{countText(row.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
