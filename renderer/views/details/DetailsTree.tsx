// Packet details: the selected packet's layers as a tree (ARIA tree, flat rows with aria-level),
// each field with its value. Selecting a field highlights its bytes (through the store); hovering
// shows its filter name; the keyboard works as in any tree (↑/↓, →/← to open and close, Home/End);
// right click, the Menu key or Shift+F10 opens the filter actions on a field (FieldMenu).
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { refKey, sameRef, useAppStore, useAppStoreApi } from '../../state';
import { LAYER_VAR } from '../../theme/layer-colors';
import { isTapDissection, TapBadge } from '../live';
import { FieldMenu, type FieldMenuAt } from './FieldMenu';
import { allKinds, ancestorKinds, rangeText, treeRows, type TreeRow } from './tree-rows';
import './details.css';

export function DetailsTree() {
  const store = useAppStoreApi();
  const detail = useAppStore((s) => s.detail);
  const field = useAppStore((s) => s.field);
  const loading = useAppStore((s) => s.detailLoading);
  const error = useAppStore((s) => s.detailError);
  const frame = useAppStore((s) => s.frame);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [hover, setHover] = useState<TreeRow | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<FieldMenuAt | null>(null);
  const closeMenu = useCallback(() => {
    setMenu(null);
    treeRef.current?.focus();
  }, []);
  const d = detail?.dissection ?? null;
  const tap = useMemo(() => (d ? isTapDissection(d) : false), [d]);
  // A saved tap capture opened again has no live info: its packets' comment says what it is.
  useEffect(() => {
    if (tap) store.getState().noteTap();
  }, [tap, store]);

  // A field chosen elsewhere (a byte, a layer in the stack) opens the subtrees that hold it.
  useEffect(() => {
    if (!d || !field) return;
    const kinds = ancestorKinds(d, field);
    if (field.path.length === 0) kinds.pop();
    setExpanded((prev) => (kinds.every((k) => prev.has(k)) ? prev : new Set([...prev, ...kinds])));
  }, [d, field]);

  const rows = useMemo(() => (d ? treeRows(d, expanded) : []), [d, expanded]);
  const active = field ? rows.findIndex((r) => sameRef(r.ref, field)) : -1;

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(`tree-${rows[active].key}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, rows]);

  const toggle = (row: TreeRow, open = !row.expanded) => {
    if (!row.hasChildren) return;
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open) next.add(row.kind);
      else next.delete(row.kind);
      return next;
    });
  };

  const select = (row: TreeRow) => store.getState().selectField(row.ref);

  const openMenu = (row: TreeRow, x?: number, y?: number) => {
    const box = document.getElementById(`tree-${row.key}`)?.getBoundingClientRect();
    setMenu({
      ref: { layer: row.ref.layer, path: [...row.ref.path] },
      x: x ?? (box ? box.left + 24 : 0),
      y: y ?? (box ? box.bottom : 0),
    });
  };

  const onKey = (e: KeyboardEvent) => {
    if (rows.length === 0) return;
    const cur = active >= 0 ? rows[active] : null;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      if (cur) openMenu(cur);
      return;
    }
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        select(rows[Math.min(rows.length - 1, active + 1)]);
        break;
      case 'ArrowUp':
        select(rows[Math.max(0, active - 1)]);
        break;
      case 'Home':
        select(rows[0]);
        break;
      case 'End':
        select(rows[rows.length - 1]);
        break;
      case 'ArrowRight':
        if (cur?.hasChildren && !cur.expanded) toggle(cur, true);
        else if (cur?.expanded) select(rows[active + 1]);
        break;
      case 'ArrowLeft':
        if (cur?.expanded) toggle(cur, false);
        else if (cur && cur.parent >= 0) select(rows[cur.parent]);
        break;
      case 'Enter':
      case ' ':
        if (cur) toggle(cur);
        break;
      case '*':
        // As in Wireshark and most trees: open everything.
        if (d) setExpanded(new Set(allKinds(d)));
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const shown = hover ?? (active >= 0 ? rows[active] : null);

  return (
    <section className="details" aria-label="Packet details">
      <header className="pane-title">
        <h2>Packet details</h2>
        {d && (
          <span className="pane-sub">
            Frame {d.frame} · {d.layers.length - 1} layers
          </span>
        )}
        {d && (
          <span className="pane-actions">
            <button
              type="button"
              className="btn quiet small"
              onClick={() => setExpanded(new Set(allKinds(d)))}
              title="Open every subtree (*)"
            >
              Expand all
            </button>
            <button
              type="button"
              className="btn quiet small"
              onClick={() => setExpanded(new Set())}
              title="Close every subtree"
            >
              Collapse all
            </button>
          </span>
        )}
      </header>
      {d && tap && <TapBadge explain />}
      {!d && (
        <p className="pane-empty">
          {loading
            ? 'Dissecting…'
            : error
              ? error
              : frame === null
                ? 'Select a packet to see its layers.'
                : ''}
        </p>
      )}
      {d && (
        <div
          ref={treeRef}
          role="tree"
          aria-label={`Layers and fields of packet ${d.frame}`}
          tabIndex={0}
          className="tree"
          aria-activedescendant={active >= 0 ? `tree-${rows[active].key}` : undefined}
          onKeyDown={onKey}
          onMouseLeave={() => setHover(null)}
        >
          {rows.map((row, i) => {
            const it = row.item;
            const generated = !!it?.generated;
            const expert = it?.expert?.severity;
            const place = row.layer.place;
            const title = `${row.abbrev ? `${row.abbrev}\n` : ''}${it ? rangeText(it.offset, it.length, generated) : rangeText(row.layer.offset, row.layer.length, false)}`;
            return (
              <div
                key={refKey(row.ref)}
                id={`tree-${row.key}`}
                role="treeitem"
                aria-level={row.level}
                aria-posinset={row.posInSet}
                aria-setsize={row.setSize}
                aria-expanded={row.hasChildren ? row.expanded : undefined}
                aria-selected={i === active}
                data-abbrev={row.abbrev}
                title={title}
                className={`tree-row${row.level === 1 ? ' layer' : ''}${i === active ? ' selected' : ''}${generated ? ' generated' : ''}${expert ? ` expert-${expert}` : ''}${row.layer.malformed && row.level === 1 ? ' malformed' : ''}`}
                style={{
                  paddingLeft: `${0.4 + (row.level - 1) * 1.2}rem`,
                  ...(place && row.level === 1 ? { borderLeftColor: LAYER_VAR[place.tcpip] } : {}),
                }}
                onMouseDown={(e) => {
                  if (e.button !== 0) return;
                  select(row);
                }}
                onDoubleClick={() => toggle(row)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  select(row);
                  openMenu(row, e.clientX, e.clientY);
                }}
                onMouseEnter={() => setHover(row)}
              >
                <span
                  className="twisty"
                  aria-hidden="true"
                  onMouseDown={(e) => {
                    if (e.button !== 0) return;
                    e.stopPropagation();
                    select(row);
                    toggle(row);
                  }}
                >
                  {row.hasChildren ? (row.expanded ? '▾' : '▸') : ''}
                </span>
                <span className="label">{row.label}</span>
              </div>
            );
          })}
        </div>
      )}
      {d && menu && <FieldMenu at={menu} onClose={closeMenu} />}
      {d && (
        <footer className="details-status" aria-live="polite">
          {shown ? (
            <>
              <span className="name">
                {shown.item ? (shown.abbrev ? fieldName(shown) : 'Text label') : shown.layer.name}
              </span>
              {shown.abbrev && (
                <>
                  {' '}
                  <code className="abbrev">{shown.abbrev}</code>
                </>
              )}
              <span className="range">
                {' · '}
                {shown.item
                  ? rangeText(shown.item.offset, shown.item.length, !!shown.item.generated)
                  : rangeText(shown.layer.offset, shown.layer.length, false)}
              </span>
            </>
          ) : (
            <span className="muted">Hover a field to see its filter name.</span>
          )}
        </footer>
      )}
    </section>
  );
}

/** The field's display name: the tree label up to its value (`Source Port: 443` → `Source Port`). */
function fieldName(row: TreeRow): string {
  const l = row.label.replace(/^\[|\]$/g, '');
  const bits = l.match(/^[.01 ]+= (.*)$/);
  const text = bits ? bits[1] : l;
  const colon = text.indexOf(': ');
  return colon > 0 ? text.slice(0, colon) : text;
}
