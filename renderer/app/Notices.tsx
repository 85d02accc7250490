// The error banner: what went wrong in plain words, where, and what was kept. Errors are alerts
// (read out at once); warnings and information are polite status messages.
import { useAppStore, useAppStoreApi } from '../state';

export function Notices() {
  const store = useAppStoreApi();
  const notices = useAppStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} role={n.tone === 'error' ? 'alert' : 'status'} className={`notice ${n.tone}`}>
          <span className="notice-icon" aria-hidden="true">
            {n.tone === 'error' ? '⛔' : n.tone === 'warning' ? '⚠' : 'ℹ'}
          </span>
          <div className="notice-body">
            <strong className="notice-title">{n.title}</strong>
            <span className="notice-message">{n.message}</span>
            {n.kept && <span className="notice-kept">{n.kept}</span>}
          </div>
          <button
            type="button"
            className="btn quiet"
            aria-label="Dismiss"
            onClick={() => store.getState().dismissNotice(n.id)}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
