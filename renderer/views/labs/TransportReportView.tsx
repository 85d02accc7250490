// The TCP-vs-UDP lab's measured report: a table of the two sides and simple d3 bars (one scale
// per quantity, so each pair of bars compares like with like). Static: React draws it from d3
// scales used as plain functions.
import { scaleLinear } from 'd3-scale';
import type { TransportReport } from '../../../shared/contract/api';
import { lostText, reportRows } from './report-model';

export function TransportReportView({ tcp, udp }: { tcp: TransportReport; udp: TransportReport }) {
  const rows = reportRows(tcp, udp);
  const bars = rows.filter((r) => r.bar);
  const W = 520;
  const label = 210;
  const barH = 16;
  const gap = 14;
  const rowH = barH * 2 + gap;
  return (
    <section className="lab-card report" aria-label="Measured report" data-testid="lab-report">
      <h3>Measured from the capture</h3>
      <table className="report-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="tcp">
              TCP
            </th>
            <th scope="col" className="udp">
              UDP
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{r.text(tcp)}</td>
              <td>{r.text(udp)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Lost</th>
            <td>{lostText('tcp', tcp)}</td>
            <td>{lostText('udp', udp)}</td>
          </tr>
        </tbody>
      </table>
      <svg
        className="report-bars"
        viewBox={`0 0 ${W} ${bars.length * rowH}`}
        role="img"
        aria-label="TCP and UDP compared, bar per quantity"
      >
        {bars.map((r, i) => {
          const x = scaleLinear()
            .domain([0, Math.max(1, r.tcp, r.udp)])
            .range([0, W - label - 70]);
          const y = i * rowH;
          return (
            <g key={r.key} transform={`translate(0, ${y})`}>
              <text x={0} y={barH + 4} className="bar-label">
                {r.label}
              </text>
              <rect x={label} y={0} width={x(r.tcp)} height={barH} className="bar tcp" />
              <text x={label + x(r.tcp) + 6} y={barH - 3} className="bar-value">
                {r.tcp.toLocaleString('en-US')}
              </text>
              <rect x={label} y={barH + 2} width={x(r.udp)} height={barH} className="bar udp" />
              <text x={label + x(r.udp) + 6} y={barH * 2 - 1} className="bar-value">
                {r.udp.toLocaleString('en-US')}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="report-legend">
        <span className="swatch tcp" /> TCP <span className="swatch udp" /> UDP · UDP loss is simulated by
        Wirescope’s relay; TCP’s retransmissions are the kernel’s own.
      </p>
    </section>
  );
}
