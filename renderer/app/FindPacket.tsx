// Ctrl+F: find the next packet after the selected one, as Wireshark's Find Packet bar: by display
// filter, by a string in the packet bytes, or by hex bytes. Enter finds the next one again.
import { useEffect, useRef, useState } from 'react';
import { useAppStore, useAppStoreApi } from '../state';

type Kind = 'filter' | 'string' | 'hex';

const PLACEHOLDER: Record<Kind, string> = {
  filter: 'e.g. http.request or tcp.flags.syn == 1',
  string: 'text in the packet bytes, e.g. GET /',
  hex: 'bytes, e.g. 47 45 54',
};

export function FindPacket() {
  const store = useAppStoreApi();
  const open = useAppStore((s) => s.findOpen);
  const [kind, setKind] = useState<Kind>('filter');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) input.current?.select();
  }, [open]);

  if (!open) return null;
  const submit = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await store.getState().findPacket(kind, text.trim());
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };
  return (
    <div role="dialog" aria-label="Find packet" className="goto popover find-packet">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="find-kind">Find by</label>
        <select
          id="find-kind"
          data-testid="find-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
        >
          <option value="filter">Display filter</option>
          <option value="string">String</option>
          <option value="hex">Hex bytes</option>
        </select>
        <input
          ref={input}
          aria-label="Find"
          data-testid="find-input"
          spellCheck={false}
          autoComplete="off"
          placeholder={PLACEHOLDER[kind]}
          style={{ width: '22rem' }}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn primary" disabled={busy || !text.trim()}>
          Find next
        </button>
        <button type="button" className="btn quiet" onClick={() => store.getState().setFindOpen(false)}>
          Close
        </button>
      </form>
    </div>
  );
}
