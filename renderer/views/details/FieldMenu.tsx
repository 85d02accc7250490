// The details tree's context menu (right click, the Menu key or Shift+F10), as Wireshark's:
// Apply / Prepare as filter (alone, or and/or the current filter), Copy filter, and Colourize
// with filter (a colouring rule on top). The filter text comes from the backend, which has the
// field table and formats values as tshark does.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useAppStoreApi } from '../../state';
import { combineFilter } from './filter-text';

export interface FieldMenuAt {
  ref: { layer: number; path: number[] };
  x: number;
  y: number;
}

type Action = 'apply' | 'prepare';

/** Wireshark's ten "Colorize Conversation" backgrounds, taken in turn for new rules. */
const COLORIZE_BG = [
  '#ffc0c0',
  '#ffc0ff',
  '#e0c0e0',
  '#c0c0ff',
  '#c0e0e0',
  '#c0ffff',
  '#c0ffc0',
  '#ffffc0',
  '#e0e0c0',
  '#e0e0e0',
];
type Join = 'only' | 'and' | 'or' | 'not';

const ITEMS: { action: Action | 'copy' | 'colorize'; join: Join; label: string }[] = [
  { action: 'apply', join: 'only', label: 'Apply as filter' },
  { action: 'prepare', join: 'only', label: 'Prepare as filter' },
  { action: 'apply', join: 'and', label: 'Apply …and selected' },
  { action: 'apply', join: 'or', label: 'Apply …or selected' },
  { action: 'apply', join: 'not', label: 'Apply …not selected' },
  { action: 'prepare', join: 'and', label: 'Prepare …and selected' },
  { action: 'prepare', join: 'or', label: 'Prepare …or selected' },
  { action: 'copy', join: 'only', label: 'Copy filter' },
  { action: 'colorize', join: 'only', label: 'Colourize with filter' },
];

export function FieldMenu({ at, onClose }: { at: FieldMenuAt; onClose: () => void }) {
  const store = useAppStoreApi();
  const [text, setText] = useState<string | null | undefined>(undefined);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    setText(undefined);
    store
      .getState()
      .filterForField(at.ref)
      .then((t) => live && setText(t))
      .catch(() => live && setText(null));
    return () => {
      live = false;
    };
  }, [at, store]);

  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [onClose]);

  const run = async (action: Action | 'copy' | 'colorize', join: Join) => {
    if (!text) return;
    onClose();
    const s = store.getState();
    if (action === 'colorize') {
      // On top, so it wins over the general rules; the rules open to show it and to tweak it.
      const made = s.coloringRules.filter((r) => COLORIZE_BG.includes(r.bg)).length;
      s.setColoringRules([
        {
          name: text.length > 40 ? `${text.slice(0, 39)}…` : text,
          filter: text,
          fg: '#12272e',
          bg: COLORIZE_BG[made % COLORIZE_BG.length],
          enabled: true,
        },
        ...s.coloringRules,
      ]);
      s.setLegendOpen(true);
      return;
    }
    if (action === 'copy') {
      try {
        await navigator.clipboard.writeText(text);
        s.notify({ tone: 'info', title: 'Filter copied', message: text });
      } catch {
        s.notify({ tone: 'warning', title: 'The clipboard refused the filter', message: text });
      }
      return;
    }
    const full = combineFilter(s.view.filter ?? '', text, join);
    if (action === 'apply') s.applyFilter(full);
    else s.prepareFilter(full);
  };

  const onKey = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const d = e.key === 'ArrowDown' ? 1 : -1;
      items[(i + d + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label="Field filter actions"
      className="popover field-menu"
      data-testid="field-menu"
      style={{ left: at.x, top: at.y }}
      onKeyDown={onKey}
      onContextMenu={(e) => e.preventDefault()}
    >
      <div className="menu-head field-menu-filter" data-testid="field-menu-filter">
        {text === undefined ? '…' : text === null ? 'A text label has no filter' : <code>{text}</code>}
      </div>
      {ITEMS.map((it) => (
        <button
          key={it.label}
          type="button"
          role="menuitem"
          className="menu-item"
          tabIndex={-1}
          aria-disabled={!text}
          onClick={() => void run(it.action, it.join)}
        >
          {it.label}
        </button>
      ))}
    </div>
  );
}
