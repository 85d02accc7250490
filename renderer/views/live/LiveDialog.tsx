// File › Live capture…: which interfaces the capture helper can open (loopback first and marked),
// a BPF capture filter, Start. When this computer does not let the helper capture, the dialog
// says why in plain words and what to grant (LiveAccess.grant), and offers the labs, which run
// through the tap and need no privilege.
import { useEffect, useRef, useState } from 'react';
import { useAppStore, useAppStoreApi } from '../../state';
import './live.css';

export function LiveDialog() {
  const store = useAppStoreApi();
  const open = useAppStore((s) => s.liveDialogOpen);
  const access = useAppStore((s) => s.liveAccess);
  const loading = useAppStore((s) => s.liveAccessLoading);
  const error = useAppStore((s) => s.liveAccessError);
  const starting = useAppStore((s) => s.liveStarting);
  const [iface, setIface] = useState('');
  const [filter, setFilter] = useState('');
  const first = useRef<HTMLDivElement>(null);

  const interfaces = access?.interfaces ?? [];
  // Loopback first: the labs' traffic is on it, and it is the one interface every machine has.
  const sorted = [...interfaces].sort((a, b) => Number(b.loopback) - Number(a.loopback));
  useEffect(() => {
    if (!iface && sorted.length) setIface(sorted[0].name);
  }, [sorted.length, iface]);
  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') store.getState().closeLiveDialog();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, store]);

  if (!open) return null;
  const permitted = !!access?.permitted;
  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && store.getState().closeLiveDialog()}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="live-title"
        className="modal live-dialog"
        ref={first}
        tabIndex={-1}
      >
        <header className="modal-head">
          <h2 id="live-title">Live capture</h2>
          <button
            type="button"
            className="btn quiet"
            aria-label="Close"
            onClick={() => store.getState().closeLiveDialog()}
          >
            ✕
          </button>
        </header>
        {loading && !access && (
          <p className="muted">Asking the capture helper which interfaces it can open…</p>
        )}
        {error && (
          <p className="live-problem" role="alert">
            {error}
          </p>
        )}
        {access && !permitted && (
          <section className="live-denied" aria-label="Capture not permitted">
            <p className="live-problem">
              {access.message ??
                (access.helper
                  ? `${access.helper} may not capture here.`
                  : 'Neither dumpcap nor tcpdump is installed.')}
            </p>
            {access.grant.length > 0 && (
              <>
                <p>To let Wirescope capture, ask whoever administers this computer to:</p>
                <ol className="live-grant">
                  {access.grant.map((g) => (
                    <li key={g}>
                      <code>{g}</code>
                    </li>
                  ))}
                </ol>
              </>
            )}
            <p>Meanwhile the labs work without any privilege: their traffic goes through Wirescope’s tap.</p>
            <button
              type="button"
              className="btn primary big"
              onClick={() => {
                store.getState().closeLiveDialog();
                store.getState().openLabs();
              }}
            >
              Open a lab (uses the tap, no privileges)
            </button>
          </section>
        )}
        {access && !permitted && sorted.length > 0 && (
          <p className="muted live-iface-line">
            Interfaces {access.helper ?? 'the helper'} lists:{' '}
            {sorted.map((i) => (i.loopback ? `${i.name} (loopback)` : i.name)).join(', ')}
          </p>
        )}
        {access && permitted && (
          <form
            className="live-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (iface) void store.getState().startLive(iface, filter);
            }}
          >
            <fieldset disabled={!permitted || starting}>
              <legend>Interface{access.helper ? ` (captured by ${access.helper})` : ''}</legend>
              {sorted.length === 0 && <p className="muted">The capture helper listed no interface.</p>}
              <div role="radiogroup" aria-label="Interface" className="live-ifaces">
                {sorted.map((i) => (
                  <label key={i.name} className={`live-iface${iface === i.name ? ' on' : ''}`}>
                    <input
                      type="radio"
                      name="iface"
                      value={i.name}
                      checked={iface === i.name}
                      onChange={() => setIface(i.name)}
                    />
                    <span className="live-iface-name">{i.name}</span>
                    {i.loopback && <span className="live-tag">loopback</span>}
                    {i.description && i.description !== i.name && (
                      <span className="live-iface-desc">{i.description}</span>
                    )}
                  </label>
                ))}
              </div>
              <label className="live-filter">
                Capture filter (BPF)
                <input
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="e.g. tcp port 8080 — empty captures everything"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                />
              </label>
              <div className="live-actions">
                <button type="submit" className="btn primary big" disabled={!iface}>
                  {starting ? 'Starting…' : 'Start'}
                </button>
              </div>
            </fieldset>
          </form>
        )}
      </div>
    </div>
  );
}
