// The error banner: what went wrong in plain words, where, and what was kept. Errors are alerts
// (read out at once); warnings and information are polite status messages.
import type { Notice } from '../state';
import { useAppStore, useAppStoreApi } from '../state';

export function Notices() {
  const store = useAppStoreApi();
  const notices = useAppStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} role={n.tone === 'error' ? 'alert' : 'status'} className={`notice ${n.tone}`}>
          <NoticeIcon tone={n.tone} />
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

// Drawn, not a font glyph: emoji fonts are missing on many Linux machines (and projectors' PCs).
function NoticeIcon({ tone }: { tone: Notice['tone'] }) {
  return (
    <svg className="notice-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
      {tone === 'warning' ? (
        <path d="M10 1.5 19 18H1z" fill="currentColor" />
      ) : (
        <circle cx="10" cy="10" r="9" fill="currentColor" />
      )}
      {tone === 'info' ? (
        <path d="M9 8.5h2V15H9zM9 5h2v2H9z" className="notice-icon-mark" />
      ) : (
        <path
          d={tone === 'warning' ? 'M9 7h2v5.5H9zM9 14h2v2H9z' : 'M9 4.5h2V11H9zM9 13h2v2H9z'}
          className="notice-icon-mark"
        />
      )}
    </svg>
  );
}
