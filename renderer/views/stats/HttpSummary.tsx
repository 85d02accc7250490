// HTTP summary (tshark -z http,tree and -z http_req,tree): requests by method, responses by
// status code, requests by host and URI, each a small table with a share bar. A method, status
// or host row applies the display filter that shows those messages.
import { byCount } from '../../../shared/stats/http-summary';
import { useAppStore, useAppStoreApi } from '../../state';
import { countText, percentText } from './stats-model';

const quoted = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function Table({
  title,
  rows,
  total,
  filterOf,
}: {
  title: string;
  rows: [string, number][];
  total: number;
  filterOf: (key: string) => string;
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
        {rows.map(([k, n]) => (
          <tr
            key={k}
            className="sc-row"
            tabIndex={0}
            title={`Apply as filter: ${filterOf(k)}`}
            onClick={() => store.getState().applyFilter(filterOf(k))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') store.getState().applyFilter(filterOf(k));
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
        ))}
      </tbody>
    </table>
  );
}

export function HttpSummaryView() {
  const entry = useAppStore((s) => s.statsHttp);
  const r = entry.result;
  if (!r) return <p className="stats-empty">{entry.loading ? 'Counting HTTP messages…' : ''}</p>;
  if (!r.requests && !r.responses)
    return <p className="stats-empty">No HTTP/1.x messages in this capture.</p>;
  const hosts = Object.entries(r.hosts)
    .map(([h, uris]): [string, number] => [h, Object.values(uris).reduce((a, b) => a + b, 0)])
    .sort((a, b) => b[1] - a[1]);
  const uris = Object.entries(r.hosts).flatMap(([h, u]) =>
    byCount(u).map(([uri, n]): [string, number] => [`${h}${uri}`, n]),
  );
  return (
    <div className="stats-scroll http-summary">
      <p className="stats-summary" data-testid="http-total">
        {countText(r.requests)} requests · {countText(r.responses)} responses · click a row to filter
      </p>
      <Table
        title="Request method"
        rows={byCount(r.methods)}
        total={r.requests}
        filterOf={(m) => `http.request.method == ${quoted(m)}`}
      />
      <Table
        title="Response status"
        rows={byCount(r.statuses)}
        total={r.responses}
        filterOf={(s) => `http.response.code == ${s.split(' ')[0]}`}
      />
      <Table title="Host" rows={hosts} total={r.requests} filterOf={(h) => `http.host == ${quoted(h)}`} />
      <Table
        title="Requested URI"
        rows={uris}
        total={r.requests}
        filterOf={(k) => {
          const host = Object.keys(r.hosts).find((h) => k.startsWith(h)) ?? '';
          return `http.host == ${quoted(host)} && http.request.uri == ${quoted(k.slice(host.length))}`;
        }}
      />
    </div>
  );
}
