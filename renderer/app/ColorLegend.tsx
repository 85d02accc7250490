// The packet list's colouring rules, in Wireshark's order (the first that matches a packet wins),
// each with its colours and, on hover, the display filter Wireshark uses for it.
import { COLOR_RULES } from '../../shared/contract/api';
import { COLOR_STYLES } from '../../shared/contract/coloring';
import { useAppStoreApi } from '../state';

export function ColorLegend() {
  const store = useAppStoreApi();
  return (
    <div role="dialog" aria-label="Packet colours" className="legend popover">
      <div className="legend-head">
        <strong>Packet colours</strong>
        <button
          type="button"
          className="btn quiet"
          aria-label="Close"
          onClick={() => store.getState().setLegendOpen(false)}
        >
          ✕
        </button>
      </div>
      <p className="legend-note">Wireshark's default rules, first match wins.</p>
      <ul>
        {COLOR_RULES.map((r) => {
          const s = COLOR_STYLES[r];
          return (
            <li key={r} title={s.filter} style={{ background: s.bg, color: s.fg }}>
              {s.name}
              <code>{s.filter.length > 38 ? `${s.filter.slice(0, 36)}…` : s.filter}</code>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
