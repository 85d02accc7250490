export { LiveDialog } from './LiveDialog';
export { SampleList, SamplesDialog } from './SamplesDialog';
export { TAP_BADGE, TAP_EXPLAIN, TapBadge } from './TapBadge';
export { isTapDissection, isTapCapture } from './tap';
