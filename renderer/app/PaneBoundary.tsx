// A view that throws while drawing takes down only its own pane: the pane says so in plain words
// and offers to try again; the rest of the window keeps working (the packet list, the other panes).
import { Component, type ReactNode } from 'react';

interface Props {
  name: string;
  children: ReactNode;
}

export class PaneBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error(`wirescope: the ${this.props.name} view failed`, error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div role="alert" className="pane-failed">
        <strong>The {this.props.name} view could not be drawn.</strong>
        <span>{error.message}</span>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
