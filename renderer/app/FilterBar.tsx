// The display-filter bar, as Wireshark's: green while what is typed compiles, red (with what is
// wrong and where) while it does not; Enter applies it to the packet list; field names complete
// as they are typed (Tab or a click), and after `field ==` the values the capture holds for that
// field, with their packet counts (from a bounded scan, said so when partial); the ▾ menu holds the history and bookmarks, with starters
// that select what the chapter's diagrams draw.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FilterCheck, FilterValues } from '../../shared/contract/api';
import { useAppStore, useAppStoreApi } from '../state';
import {
  bookmarkFilter,
  completions,
  loadFilterMemory,
  rememberFilter,
  removeBookmark,
  STARTER_BOOKMARKS,
  valueContext,
  wordAt,
} from './filter-memory';

interface Offer {
  label: string;
  insert: string;
  count?: number;
}

export function FilterBar() {
  const store = useAppStoreApi();
  const applied = useAppStore((s) => s.view.filter ?? '');
  const total = useAppStore((s) => s.total);
  const packets = useAppStore((s) => s.capture?.progress.packets ?? 0);
  const [text, setText] = useState(applied);
  const [check, setCheck] = useState<FilterCheck | null>(null);
  const [names, setNames] = useState<string[]>([]);
  const [caret, setCaret] = useState(0);
  const [pick, setPick] = useState(-1);
  const [menu, setMenu] = useState(false);
  /** Completions show while typing, not after Enter, Escape or leaving the field. */
  const [offering, setOffering] = useState(false);
  const [memory, setMemory] = useState(loadFilterMemory);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => setText(applied), [applied]);

  // "Prepare as filter" from the details tree: shown here, not applied, ready for Enter.
  const prepared = useAppStore((s) => s.preparedFilter);
  useEffect(() => {
    if (!prepared) return;
    setText(prepared.text);
    setOffering(false);
    input.current?.focus();
  }, [prepared]);

  useEffect(() => {
    void store
      .getState()
      .filterFields()
      .then((f) => setNames(f.map((x) => x.name)))
      .catch(() => setNames([]));
  }, [store]);

  // Checked as typed, a little after the last key so each keystroke does not cost a round trip.
  useEffect(() => {
    if (!text.trim()) {
      setCheck(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void store
        .getState()
        .checkFilter(text)
        .then((c) => live && setCheck(c))
        .catch(() => live && setCheck(null));
    }, 80);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [text, store]);

  const { word, start: wordStart } = wordAt(text, caret);
  const ctx = useMemo(() => {
    const c = valueContext(text, caret);
    return c && names.includes(c.field) ? c : null;
  }, [text, caret, names]);
  const [values, setValues] = useState<FilterValues | null>(null);
  const capture = useAppStore((s) => s.capture?.info.id ?? null);
  // Values are asked for a little after the last key, as the check is.
  const field = ctx?.field ?? null;
  const prefix = ctx?.prefix ?? '';
  useEffect(() => {
    if (field === null || !offering || !capture) {
      setValues(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void store
        .getState()
        .filterValues(field, prefix)
        .then((v) => live && setValues(v))
        .catch(() => live && setValues(null));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [field, prefix, offering, capture, store]);
  const valueMode = !!ctx && !!values && values.field === ctx.field;
  const offers: Offer[] = useMemo(
    () =>
      valueMode
        ? values!.values.map((v) => ({ label: v.value, insert: v.text, count: v.count }))
        : completions(names, word).map((n) => ({ label: n, insert: n })),
    [valueMode, values, names, word],
  );
  const start = valueMode ? ctx!.start : wordStart;
  const showOffers = offering && offers.length > 0;

  const apply = (value: string) => {
    const v = value.trim();
    if (v && check && !check.ok && v === text.trim()) return;
    store.getState().applyFilter(v || null);
    if (v) setMemory(rememberFilter(v));
    setMenu(false);
    setOffering(false);
  };

  const complete = (name: string) => {
    const next = text.slice(0, start) + name + text.slice(caret);
    setText(next);
    setPick(-1);
    const at = start + name.length;
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(at, at);
      setCaret(at);
    });
  };

  const state = !text.trim() ? 'empty' : !check ? 'pending' : check.ok ? 'ok' : 'bad';
  const dirty = text.trim() !== applied;

  return (
    <div className="filter-bar" role="search">
      <label htmlFor="display-filter" className="visually-hidden">
        Display filter
      </label>
      <div className={`filter-field filter-${state}`}>
        <input
          id="display-filter"
          ref={input}
          data-testid="display-filter"
          spellCheck={false}
          autoComplete="off"
          role="combobox"
          aria-expanded={showOffers}
          aria-controls="filter-offers"
          aria-invalid={state === 'bad'}
          aria-describedby={state === 'bad' ? 'filter-error' : undefined}
          placeholder="Apply a display filter … (e.g. tcp.port == 80 or dns)"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart ?? e.target.value.length);
            setPick(-1);
            setOffering(true);
          }}
          onSelect={(e) => setCaret((e.target as HTMLInputElement).selectionStart ?? 0)}
          onBlur={() => setOffering(false)}
          onKeyDown={(e) => {
            if (showOffers && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              const d = e.key === 'ArrowDown' ? 1 : -1;
              setPick((p) => {
                const v = p + d;
                return v < -1 ? offers.length - 1 : v >= offers.length ? -1 : v;
              });
              return;
            }
            if (showOffers && e.key === 'Tab' && offers.length) {
              e.preventDefault();
              complete(offers[Math.max(0, pick)].insert);
              return;
            }
            if (e.key === 'Enter') {
              e.preventDefault();
              if (showOffers && pick >= 0) complete(offers[pick].insert);
              else apply(text);
            }
            if (e.key === 'Escape') {
              setPick(-1);
              if (!showOffers) setText(applied);
              setOffering(false);
            }
          }}
        />
        {showOffers && (
          <ul
            id="filter-offers"
            role="listbox"
            className="filter-offers"
            aria-label={valueMode ? `Values of ${ctx!.field}` : 'Field names'}
          >
            {offers.map((o, i) => (
              <li
                key={o.insert}
                role="option"
                aria-selected={i === pick}
                className={i === pick ? 'picked' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  complete(o.insert);
                }}
              >
                {o.label}
                {o.count !== undefined && (
                  <span className="filter-offer-count" style={{ opacity: 0.7 }}>
                    {' '}
                    · {o.count} {o.count === 1 ? 'packet' : 'packets'}
                  </span>
                )}
              </li>
            ))}
            {valueMode && values!.partial && (
              <li
                className="filter-offer-note"
                role="presentation"
                data-testid="filter-values-partial"
                style={{ cursor: 'default', opacity: 0.7, fontStyle: 'italic' }}
              >
                Seen in the first {values!.scanned.toLocaleString('en')} of{' '}
                {values!.total.toLocaleString('en')} packets (scan stopped early)
              </li>
            )}
          </ul>
        )}
      </div>
      <button
        type="button"
        className="btn"
        onClick={() => apply(text)}
        disabled={state === 'bad' || !dirty}
        title="Apply (Enter)"
      >
        Apply
      </button>
      {applied && (
        <button
          type="button"
          className="btn quiet"
          onClick={() => {
            setText('');
            apply('');
          }}
          title="Show every packet"
        >
          Clear
        </button>
      )}
      <div className="menu-anchor">
        <button
          type="button"
          className="btn"
          aria-haspopup="menu"
          aria-expanded={menu}
          onClick={() => setMenu(!menu)}
          title="Saved and recent filters"
        >
          Filters ▾
        </button>
        {menu && (
          <div role="menu" className="popover filter-menu">
            <div className="menu-head">Starters</div>
            {STARTER_BOOKMARKS.map((b) => (
              <button
                key={b.filter}
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => (setText(b.filter), apply(b.filter))}
              >
                <span>{b.name}</span>
                <code>{b.filter}</code>
              </button>
            ))}
            {memory.bookmarks.length > 0 && <div className="menu-head">Bookmarks</div>}
            {memory.bookmarks.map((b) => (
              <div key={b.filter} className="menu-row">
                <button
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  onClick={() => (setText(b.filter), apply(b.filter))}
                >
                  <code>{b.filter}</code>
                </button>
                <button
                  type="button"
                  className="btn quiet"
                  aria-label={`Remove bookmark ${b.filter}`}
                  onClick={() => setMemory(removeBookmark(b.filter))}
                >
                  ×
                </button>
              </div>
            ))}
            {memory.history.length > 0 && <div className="menu-head">Recent</div>}
            {memory.history.map((h) => (
              <button
                key={h}
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => (setText(h), apply(h))}
              >
                <code>{h}</code>
              </button>
            ))}
            {applied && (
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => setMemory(bookmarkFilter(applied))}
              >
                ☆ Bookmark “{applied}”
              </button>
            )}
          </div>
        )}
      </div>
      <span className="filter-count" aria-live="polite">
        {applied ? `${total.toLocaleString('en-US')} of ${packets.toLocaleString('en-US')} shown` : ''}
      </span>
      {state === 'bad' && check && !check.ok && (
        <div id="filter-error" className="filter-error" role="alert">
          {check.message}
          <span className="filter-where">
            {' '}
            — at “{text.slice(check.start, Math.max(check.end, check.start + 1)) || 'the end'}” (character{' '}
            {check.start + 1})
          </span>
        </div>
      )}
    </div>
  );
}
