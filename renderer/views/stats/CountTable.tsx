// A small table of counted items with their share of a total drawn as a bar (the HTTP and DNS
// summaries). A row applies the display filter that selects its messages, when it has one.
import { useAppStoreApi } from '../../state';
import { countText, percentText } from './stats-model';

/** A display-filter string literal. */
export const quoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function CountTable({
  title,
  rows,
  total,
  filterOf,
}: {
  title: string;
  rows: [string, number][];
  total: number;
  filterOf?: (key: string) => string | null;
}) {
  const store = useAppStoreApi();
  return (
    <table className="stats-table http-table" aria-label={title}>
      <thead>
        <tr>
          <th scope="col">{title}</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, n]) => {
          const filter = filterOf?.(k) ?? null;
          const apply = () => filter && store.getState().applyFilter(filter);
          return (
            <tr
              key={k}
              className={filter ? 'sc-row' : undefined}
              tabIndex={filter ? 0 : undefined}
              title={filter ? `Apply as filter: ${filter}` : undefined}
              onClick={apply}
              onKeyDown={(e) => {
                if (e.key === 'Enter') apply();
              }}
            >
              <td className="sc-addr">{k}</td>
              <td className="num">{countText(n)}</td>
              <td className="phs-share">
                <span className="phs-bar" aria-hidden="true">
                  <span style={{ width: `${total ? (n / total) * 100 : 0}%` }} />
                </span>
                <span className="phs-pct">{percentText(total ? n / total : 0)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
