// What every lab asks before it runs: tap or capture (capture only with capture rights, and the
// reason shown when it is off), and the lab's own options given as children.
import type { ReactNode } from 'react';
import type { LiveMode } from '../../../shared/contract/api';
import { captureModeReason, useAppStore, useAppStoreApi } from '../../state';

export function ModeChoice({ mode, onChange }: { mode: LiveMode; onChange(m: LiveMode): void }) {
  const store = useAppStoreApi();
  const access = useAppStore((s) => s.liveAccess);
  const reason = captureModeReason(access);
  return (
    <fieldset className="lab-field">
      <legend>Packets from</legend>
      <label className="lab-radio">
        <input type="radio" name="lab-mode" checked={mode === 'tap'} onChange={() => onChange('tap')} />
        <span>
          <strong>Tap</strong> — no privileges; headers reconstructed
        </span>
      </label>
      <label className={`lab-radio${reason ? ' disabled' : ''}`}>
        <input
          type="radio"
          name="lab-mode"
          checked={mode === 'capture'}
          disabled={!!reason}
          onChange={() => onChange('capture')}
        />
        <span>
          <strong>Capture</strong> on loopback{access?.helper ? ` with ${access.helper}` : ''}
        </span>
      </label>
      {reason && (
        <p className="lab-reason" data-testid="capture-mode-reason">
          {reason}{' '}
          {access && !access.permitted && (
            <button type="button" className="link-btn" onClick={() => store.getState().openLiveDialog()}>
              What to grant…
            </button>
          )}
        </p>
      )}
    </fieldset>
  );
}

export function RunBox({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="lab-card lab-setup" aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
