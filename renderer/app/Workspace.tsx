// The three Wireshark panes (list above; details and bytes below) with the side panel beside
// them, divided by movable splitters. Under 1000 px wide the side panel goes below, and under
// 700 px every pane stacks, so the same window works from a small laptop to a 4K projector.
import { useLayoutEffect, useRef, useState } from 'react';
import { BytesView } from '../views/bytes/BytesView';
import { DetailsTree } from '../views/details/DetailsTree';
import { PacketList } from '../views/packet-list/PacketList';
import { PaneBoundary } from './PaneBoundary';
import { SidePanel } from './SidePanel';
import { Splitter } from './Splitter';

type Mode = 'wide' | 'medium' | 'narrow';

export function layoutMode(width: number): Mode {
  return width >= 1000 ? 'wide' : width >= 700 ? 'medium' : 'narrow';
}

export function Workspace() {
  const ref = useRef<HTMLElement>(null);
  const [mode, setMode] = useState<Mode>('wide');
  const [listFr, setListFr] = useState(0.46);
  const [detailsFr, setDetailsFr] = useState(0.44);
  const [sideFr, setSideFr] = useState(0.36);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setMode(layoutMode(el.clientWidth)));
    ro.observe(el);
    setMode(layoutMode(el.clientWidth));
    return () => ro.disconnect();
  }, []);

  const lower = (
    <div
      className="lower"
      style={
        mode === 'narrow'
          ? undefined
          : { gridTemplateColumns: `minmax(0, ${detailsFr}fr) auto minmax(0, ${1 - detailsFr}fr)` }
      }
    >
      <PaneBoundary name="packet details">
        <DetailsTree />
      </PaneBoundary>
      {mode !== 'narrow' && (
        <Splitter
          direction="column"
          value={detailsFr}
          onChange={setDetailsFr}
          label="Resize details and bytes"
        />
      )}
      <PaneBoundary name="packet bytes">
        <BytesView />
      </PaneBoundary>
    </div>
  );

  if (mode === 'wide') {
    return (
      <main
        ref={ref}
        className="workspace wide"
        style={{ gridTemplateColumns: `minmax(0, ${1 - sideFr}fr) auto minmax(0, ${sideFr}fr)` }}
      >
        <div
          className="main-col"
          style={{ gridTemplateRows: `minmax(0, ${listFr}fr) auto minmax(0, ${1 - listFr}fr)` }}
        >
          <PaneBoundary name="packet list">
            <PacketList />
          </PaneBoundary>
          <Splitter direction="row" value={listFr} onChange={setListFr} label="Resize packet list" />
          {lower}
        </div>
        <Splitter
          direction="column"
          value={1 - sideFr}
          min={0.45}
          max={0.8}
          onChange={(v) => setSideFr(1 - v)}
          label="Resize side panel"
        />
        <PaneBoundary name="side panel">
          <SidePanel />
        </PaneBoundary>
      </main>
    );
  }
  return (
    <main ref={ref} className={`workspace ${mode}`}>
      <div
        className="main-col"
        style={
          mode === 'medium'
            ? { gridTemplateRows: `minmax(0, ${listFr}fr) auto minmax(0, ${1 - listFr}fr)` }
            : undefined
        }
      >
        <PaneBoundary name="packet list">
          <PacketList />
        </PaneBoundary>
        {mode === 'medium' && (
          <Splitter direction="row" value={listFr} onChange={setListFr} label="Resize packet list" />
        )}
        {lower}
      </div>
      <PaneBoundary name="side panel">
        <SidePanel />
      </PaneBoundary>
    </main>
  );
}
