// While a file uploads or its index pass runs: how far, how many packets so far, and how to stop.
import { sizeText, useAppStore, useAppStoreApi } from '../state';

export function ProgressBar() {
  const store = useAppStoreApi();
  const opening = useAppStore((s) => s.opening);
  const capture = useAppStore((s) => s.capture);
  const indexing = capture?.phase === 'indexing' ? capture : null;
  if (!opening && !indexing) return null;

  const done = opening ? opening.sent : indexing!.progress.bytes;
  const total = opening ? opening.total : indexing!.progress.total || indexing!.info.size;
  const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  const name = opening ? opening.name : indexing!.info.name;
  const what = opening ? 'Uploading' : 'Reading';
  const detail = opening
    ? `${sizeText(done)} of ${sizeText(total)}`
    : `${indexing!.progress.packets.toLocaleString('en-US')} packets so far`;

  return (
    <div className="progress" role="status">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={`${what} ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}% · ${detail}`}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span className="progress-text">
        {what} <strong>{name}</strong>: {pct}% · {detail}
      </span>
      <button
        type="button"
        className="btn"
        onClick={() => void store.getState().cancel()}
        title="Stop (Esc); what was read stays listed"
      >
        Stop <kbd>Esc</kbd>
      </button>
    </div>
  );
}
