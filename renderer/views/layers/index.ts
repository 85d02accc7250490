// The layer views the shell places: the stack of envelopes beside the two models, and the bit
// diagram of the selected header.
export { BitDiagram } from './BitDiagram';
export { LayerStack } from './LayerStack';
