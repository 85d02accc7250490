// Ctrl+G: go to a packet by its number, as Wireshark's "Go to packet".
import { useEffect, useRef, useState } from 'react';
import { useAppStore, useAppStoreApi } from '../state';

export function GoToPacket() {
  const store = useAppStoreApi();
  const open = useAppStore((s) => s.goToOpen);
  const count = useAppStore((s) => s.capture?.progress.packets ?? 0);
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) {
      setText('');
      input.current?.focus();
    }
  }, [open]);

  if (!open) return null;
  const submit = async () => {
    const n = Number(text.trim());
    if (!Number.isSafeInteger(n) || n < 1) return;
    store.getState().setGoToOpen(false);
    const ok = await store.getState().goToFrame(n);
    if (ok) (document.querySelector('.packet-grid') as HTMLElement | null)?.focus();
  };
  return (
    <div role="dialog" aria-label="Go to packet" className="goto popover">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="goto-input">Go to packet</label>
        <input
          id="goto-input"
          ref={input}
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          placeholder={count ? `1 – ${count.toLocaleString('en-US')}` : ''}
          value={text}
          onChange={(e) => setText(e.target.value.replace(/[^0-9]/g, ''))}
        />
        <button type="submit" className="btn primary">
          Go
        </button>
        <button type="button" className="btn quiet" onClick={() => store.getState().setGoToOpen(false)}>
          Cancel
        </button>
      </form>
    </div>
  );
}
