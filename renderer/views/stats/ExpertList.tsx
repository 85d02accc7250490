// Expert information (tshark -z expert): the notes the dissectors made, grouped by severity, most
// severe first, one row per protocol and message with how often it occurred. Each row links to
// the packets carrying it: choosing one selects that packet in the list.
import type { Severity } from '../../../shared/dissect/types';
import { useAppStore, useAppStoreApi } from '../../state';
import { countText } from './stats-model';

const TITLE: Record<Severity, string> = {
  error: 'Errors',
  warn: 'Warnings',
  note: 'Notes',
  chat: 'Chats',
  comment: 'Comments',
};

/** Frame links shown per row; the rest are counted. */
const LINKS = 6;

export function ExpertList() {
  const store = useAppStoreApi();
  const entry = useAppStore((s) => s.statsExpert);
  const selected = useAppStore((s) => s.frame ?? 0);
  const r = entry.result;
  if (!r) return <p className="stats-empty">{entry.loading ? 'Collecting expert information…' : ''}</p>;
  const groups = r.groups.filter((g) => g.rows.length);
  if (!groups.length) return <p className="stats-empty">No expert information in this capture.</p>;
  const go = (frame: number) => void store.getState().goToFrame(frame);
  return (
    <div className="stats-scroll expert">
      {groups.map((g) => (
        <details
          key={g.severity}
          open
          className={`expert-group sev-${g.severity}`}
          data-severity={g.severity}
        >
          <summary>
            <span className="expert-sev">{TITLE[g.severity]}</span>
            <span className="expert-count">{countText(g.total)}</span>
          </summary>
          <ul>
            {g.rows.map((row) => (
              <li key={`${row.protocol}\u0000${row.summary}`} className="expert-row">
                <button
                  type="button"
                  className="expert-link"
                  title={`Select packet ${row.frames[0]}`}
                  aria-current={selected === row.frames[0] ? 'true' : undefined}
                  onClick={() => go(row.frames[0])}
                >
                  <span className="expert-freq">{countText(row.frequency)}×</span>
                  <span className="expert-proto">{row.protocol}</span>
                  <span className="expert-msg">{row.summary}</span>
                </button>
                <span className="expert-frames">
                  <span className="expert-group-name" title="Expert group">
                    {row.group}
                  </span>
                  {row.frames.slice(0, LINKS).map((f) => (
                    <button
                      key={f}
                      type="button"
                      className="expert-frame"
                      aria-label={`Packet ${f}`}
                      aria-current={selected === f ? 'true' : undefined}
                      onClick={() => go(f)}
                    >
                      #{f}
                    </button>
                  ))}
                  {row.frames.length > LINKS && (
                    <span className="expert-more">+{countText(row.frames.length - LINKS)} more</span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}
