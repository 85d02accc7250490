// Sequence diagrams from messages: lifelines, rows, notes, idle gaps; Mermaid and SVG export.
export {
  allLifelines,
  endpointId,
  lifelineId,
  lifelines,
  moveLifeline,
  type Lifeline,
  type LifelineMode,
  type LifelineOptions,
} from './lifelines';
export {
  autoPxPerSecond,
  IDLE_SECONDS,
  gapText,
  layoutDiagram,
  levelShows,
  rowOfFrame,
  rowsInView,
  type Diagram,
  type DiagramLevel,
  type DiagramNoteRow,
  type DiagramRow,
  type IdleGap,
  type LayoutOptions,
  type Spacing,
} from './layout';
export { placeNotes, type DiagramNote, type NoteKind } from './notes';
export {
  arrowLabel,
  arrowMarks,
  caption,
  isRetransmission,
  markText,
  messageColorRule,
  tcpKind,
} from './labels';
export { mermaidArrow, mermaidLabel, mermaidText, toMermaid, type MermaidOptions } from './mermaid';
export { diagramSvg, sceneSvg, xmlText } from './svg';
export {
  diagramScene,
  LIGHT_THEME,
  type Scene,
  type SceneOptions,
  type SceneTheme,
  type Shape,
} from './scene';
export { columnX, geometry, type Geometry, type GeometryOptions } from './geometry';
export { clipText, textWidth } from './text';
