// View › Coloring Rules: the packet list's colouring rules, each a display filter with two
// colours, first match wins. Edits apply at once (a filter when its field is left or Enter is
// pressed); a filter that does not compile turns red with Wireshark-style words and never
// matches. Rules import from and export to Wireshark's own colorfilters file.
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { ColoringRule, FilterCheck } from '../../shared/contract/api';
import { DEFAULT_COLORING, formatColorfilters, parseColorfilters } from '../../shared/filter/coloring';
import { useAppStore, useAppStoreApi } from '../state';

const NEW_RULE: Omit<ColoringRule, 'filter'> = {
  name: 'New rule',
  fg: '#12272e',
  bg: '#ffe08a',
  enabled: true,
};

/** Each filter's verdict from the backend (the filter bar's check), asked once per text. */
function useChecks(filters: readonly string[]): Map<string, FilterCheck> {
  const store = useAppStoreApi();
  const [checks, setChecks] = useState(() => new Map<string, FilterCheck>());
  const key = filters.join('\u0000');
  useEffect(() => {
    let live = true;
    const missing = [...new Set(filters)].filter((f) => !checks.has(f));
    if (!missing.length) return;
    void Promise.all(
      missing.map((f) =>
        store
          .getState()
          .checkFilter(f)
          .then((c) => [f, c] as const)
          .catch(() => null),
      ),
    ).then((got) => {
      if (!live) return;
      setChecks((old) => {
        const next = new Map(old);
        for (const g of got) if (g) next.set(g[0], g[1]);
        return next;
      });
    });
    return () => {
      live = false;
    };
    // `filters` is read through `key`: the same texts need no new check.
  }, [key, store, checks]);
  return checks;
}

/** A text field that commits on Enter or when left, so half-typed filters never colour anything. */
function DraftInput(props: {
  value: string;
  label: string;
  className?: string;
  invalid?: boolean;
  describedBy?: string;
  onCommit(v: string): void;
}) {
  const [draft, setDraft] = useState(props.value);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    if (draft !== props.value) props.onCommit(draft);
  };
  return (
    <input
      type="text"
      spellCheck={false}
      aria-label={props.label}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
      className={props.className}
      title={draft.length > 40 ? draft : undefined}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') {
          // Escape undoes the edit; the dialog closes only when nothing is being edited.
          if (draft !== props.value) {
            e.stopPropagation();
            setDraft(props.value);
          }
        }
      }}
    />
  );
}

export function ColoringRules() {
  const store = useAppStoreApi();
  const rules = useAppStore((s) => s.coloringRules);
  const applied = useAppStore((s) => s.view.filter);
  const checks = useChecks(rules.map((r) => r.filter));
  const fileInput = useRef<HTMLInputElement>(null);

  const change = (next: ColoringRule[]) => store.getState().setColoringRules(next);
  const edit = (i: number, patch: Partial<ColoringRule>) =>
    change(rules.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= rules.length) return;
    const next = [...rules];
    [next[i], next[j]] = [next[j], next[i]];
    change(next);
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const { rules: read, problems } = parseColorfilters(await file.text());
    if (!read.length) {
      store.getState().notify({
        tone: 'error',
        title: `${file.name} holds no colouring rules`,
        message: problems.length
          ? `Line ${problems[0].line}: ${problems[0].message}.`
          : 'The file is empty or only comments.',
      });
      return;
    }
    change(read);
    if (problems.length) {
      store.getState().notify({
        tone: 'warning',
        title: `${problems.length} line${problems.length === 1 ? '' : 's'} of ${file.name} left out`,
        message: problems
          .slice(0, 3)
          .map((p) => `line ${p.line}: ${p.message}`)
          .join('; '),
        kept: `${read.length} rules imported.`,
      });
    }
  };

  const exportFile = () => {
    // Not text/plain: Chromium would name it colorfilters.txt, and Wireshark looks for colorfilters.
    const url = URL.createObjectURL(
      new Blob([formatColorfilters(rules)], { type: 'application/octet-stream' }),
    );
    const a = document.createElement('a');
    a.href = url;
    a.download = 'colorfilters';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const isDefault = JSON.stringify(rules) === JSON.stringify(DEFAULT_COLORING);

  return (
    <div role="dialog" aria-label="Colouring rules" className="coloring popover">
      <div className="legend-head">
        <strong>Colouring rules</strong>
        <button
          type="button"
          className="btn quiet"
          aria-label="Close"
          onClick={() => store.getState().setLegendOpen(false)}
        >
          ✕
        </button>
      </div>
      <p className="legend-note">
        Each rule is a display filter; the first enabled rule that selects a packet colours its row.
        {isDefault ? " These are Wireshark's defaults." : ''}
      </p>
      <ol className="coloring-rules">
        {rules.map((r, i) => {
          const check = checks.get(r.filter);
          const bad = check && !check.ok ? check : null;
          const errId = `coloring-error-${i}`;
          return (
            <li key={i} className={`coloring-rule${r.enabled ? '' : ' off'}`} aria-label={r.name}>
              <input
                type="checkbox"
                aria-label={`Use ${r.name}`}
                checked={r.enabled}
                onChange={(e) => edit(i, { enabled: e.target.checked })}
              />
              <DraftInput
                label="Name"
                className="coloring-name"
                value={r.name}
                onCommit={(name) => edit(i, { name: name.trim() || r.name })}
              />
              <span className="coloring-sample" style={{ background: r.bg, color: r.fg }} aria-hidden>
                Aa
              </span>
              <DraftInput
                label="Filter"
                className={`coloring-filter${bad ? ' invalid' : check ? ' valid' : ''}`}
                invalid={!!bad}
                describedBy={bad ? errId : undefined}
                value={r.filter}
                onCommit={(filter) => edit(i, { filter: filter.trim() })}
              />
              <label className="coloring-colour" title="Text colour">
                <span>Text</span>
                <input
                  type="color"
                  aria-label={`Text colour of ${r.name}`}
                  value={r.fg}
                  onChange={(e) => edit(i, { fg: e.target.value })}
                />
              </label>
              <label className="coloring-colour" title="Background colour">
                <span>Back</span>
                <input
                  type="color"
                  aria-label={`Background of ${r.name}`}
                  value={r.bg}
                  onChange={(e) => edit(i, { bg: e.target.value })}
                />
              </label>
              <span className="coloring-actions">
                <button
                  type="button"
                  className="btn quiet"
                  aria-label={`Move ${r.name} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn quiet"
                  aria-label={`Move ${r.name} down`}
                  disabled={i === rules.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="btn quiet"
                  aria-label={`Delete ${r.name}`}
                  onClick={() => change(rules.filter((_, k) => k !== i))}
                >
                  ✕
                </button>
              </span>
              {bad && (
                <span id={errId} role="alert" className="coloring-error">
                  {bad.message} — this rule colours nothing until it is fixed.
                </span>
              )}
            </li>
          );
        })}
      </ol>
      <div className="coloring-foot">
        <button
          type="button"
          className="btn"
          onClick={() => change([{ ...NEW_RULE, filter: applied ?? '' }, ...rules])}
          title="A rule at the top (it wins over the rest), with the applied display filter if there is one"
        >
          New rule
        </button>
        <button type="button" className="btn quiet" onClick={() => fileInput.current?.click()}>
          Import…
        </button>
        <button type="button" className="btn quiet" onClick={exportFile}>
          Export…
        </button>
        <button
          type="button"
          className="btn quiet"
          disabled={isDefault}
          onClick={() => store.getState().resetColoring()}
        >
          Wireshark's defaults
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Import colouring rules (Wireshark colorfilters file)"
          onChange={(e) => void importFile(e)}
        />
      </div>
    </div>
  );
}
