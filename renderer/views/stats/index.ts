// The Statistics view the shell places in its side panel.
export { StatsView } from './StatsView';
