export { SequenceView } from './SequenceView';
