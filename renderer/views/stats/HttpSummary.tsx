// HTTP summary (tshark -z http,tree and -z http_req,tree): requests by method, responses by
// status code, requests by host and URI, each a small table with a share bar. A method, status
// or host row applies the display filter that shows those messages.
import { byCount } from '../../../shared/stats/http-summary';
import { useAppStore } from '../../state';
import { CountTable, quoted } from './CountTable';
import { countText } from './stats-model';

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
      <CountTable
        title="Request method"
        rows={byCount(r.methods)}
        total={r.requests}
        filterOf={(m) => `http.request.method == ${quoted(m)}`}
      />
      <CountTable
        title="Response status"
        rows={byCount(r.statuses)}
        total={r.responses}
        filterOf={(s) => `http.response.code == ${s.split(' ')[0]}`}
      />
      <CountTable
        title="Host"
        rows={hosts}
        total={r.requests}
        filterOf={(h) => `http.host == ${quoted(h)}`}
      />
      <CountTable
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
