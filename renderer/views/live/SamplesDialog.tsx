// File › Open sample: the captures the labs made from real traffic (resources/samples), so a class
// without capture rights can still replay every lab.
import { useEffect } from 'react';
import { useAppStore, useAppStoreApi } from '../../state';
import './live.css';

export function SampleList({ onOpen }: { onOpen?: () => void }) {
  const store = useAppStoreApi();
  const samples = useAppStore((s) => s.samples);
  useEffect(() => {
    if (samples === null) void store.getState().loadSamples();
  }, [store, samples]);
  if (samples === null) return <p className="muted">Looking for the samples…</p>;
  if (samples.length === 0) return <p className="muted">No sample captures are installed.</p>;
  return (
    <ul className="sample-list">
      {samples.map((s) => (
        <li key={s.name}>
          <button
            type="button"
            className="sample"
            onClick={() => {
              onOpen?.();
              void store.getState().openSample(s.name);
            }}
          >
            <span className="sample-title">{s.title}</span>
            <span className="sample-desc">{s.description}</span>
            <code className="sample-name">{s.name}</code>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function SamplesDialog() {
  const store = useAppStoreApi();
  const open = useAppStore((s) => s.samplesOpen);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') store.getState().setSamplesOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, store]);
  if (!open) return null;
  return (
    <div
      className="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && store.getState().setSamplesOpen(false)}
    >
      <div role="dialog" aria-modal="true" aria-labelledby="samples-title" className="modal samples-dialog">
        <header className="modal-head">
          <h2 id="samples-title">Sample captures made by the labs</h2>
          <button
            type="button"
            className="btn quiet"
            aria-label="Close"
            onClick={() => store.getState().setSamplesOpen(false)}
          >
            ✕
          </button>
        </header>
        <SampleList />
      </div>
    </div>
  );
}
