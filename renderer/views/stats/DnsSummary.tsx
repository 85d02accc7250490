// DNS summary (tshark -z dns,tree): messages by query/response, reply code and query type,
// queries by name, and how long answers took (request–response time). A row applies the display
// filter that selects those messages.
import { byCount } from '../../../shared/stats/http-summary';
import { useAppStore } from '../../state';
import { CountTable, quoted } from './CountTable';
import { countText } from './stats-model';

const ms = (s: number) => `${(s * 1000).toFixed(3)} ms`;

export function DnsSummaryView() {
  const entry = useAppStore((s) => s.statsDns);
  const r = entry.result;
  if (!r) return <p className="stats-empty">{entry.loading ? 'Counting DNS messages…' : ''}</p>;
  if (!r.messages) return <p className="stats-empty">No DNS messages in this capture.</p>;
  const t = r.times;
  return (
    <div className="stats-scroll http-summary">
      <p className="stats-summary" data-testid="dns-total">
        {countText(r.messages)} messages: {countText(r.queries)} queries, {countText(r.responses)} responses
      </p>
      <p className="stats-summary" data-testid="dns-times">
        {t.count
          ? `Response time over ${countText(t.count)} answers: average ${ms(t.sum / t.count)}, min ${ms(t.min)}, max ${ms(t.max)}`
          : 'No query was answered in this capture.'}
      </p>
      <CountTable
        title="Query type"
        rows={byCount(r.types)}
        total={r.messages}
        filterOf={(k) => (k in r.typeCodes ? `dns.qry.type == ${r.typeCodes[k]}` : null)}
      />
      <CountTable title="Reply code" rows={byCount(r.rcodes)} total={r.messages} />
      <CountTable
        title="Query name"
        rows={byCount(r.names)}
        total={r.queries}
        filterOf={(k) => `dns.qry.name == ${quoted(k)}`}
      />
      <CountTable title="Opcode" rows={byCount(r.opcodes)} total={r.messages} />
    </div>
  );
}
