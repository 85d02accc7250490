// The right-hand panel: the selected packet's layer stack and header bit diagram, or the
// capture's conversations. The views themselves live in renderer/views/layers and
// renderer/views/conversations and read the store like every other view.
import { useAppStore, useAppStoreApi, type SidePanel as Panel } from '../state';
import { BitDiagram, LayerStack } from '../views/layers';
import { Conversations } from '../views/conversations';
import { SequenceView } from '../views/sequence';
import { StatsView } from '../views/stats';

const TABS: { id: Panel; title: string }[] = [
  { id: 'layers', title: 'Layers' },
  { id: 'conversations', title: 'Conversations' },
  { id: 'sequence', title: 'Sequence' },
  { id: 'stats', title: 'Statistics' },
];

export function SidePanel() {
  const store = useAppStoreApi();
  const panel = useAppStore((s) => s.sidePanel);
  return (
    <aside className="side" aria-label="Side panel">
      <div role="tablist" aria-label="Side panel" className="side-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`side-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={panel === t.id}
            aria-controls={`side-panel-${t.id}`}
            className={`side-tab${panel === t.id ? ' active' : ''}`}
            onClick={() => store.getState().showSidePanel(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`side-panel-${panel}`}
        aria-labelledby={`side-tab-${panel}`}
        className="side-body"
      >
        {panel === 'layers' ? (
          <div className="side-layers">
            <LayerStack />
            <BitDiagram />
          </div>
        ) : panel === 'sequence' ? (
          <SequenceView />
        ) : panel === 'stats' ? (
          <StatsView />
        ) : (
          <Conversations />
        )}
      </div>
    </aside>
  );
}
