export { LabsView } from './LabsView';
