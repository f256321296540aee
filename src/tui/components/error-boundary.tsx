import { Text } from 'ink';
import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Changing it (e.g. on every screen switch) gives the subtree another chance after a crash. */
  resetKey: string;
}

interface State {
  error: Error | null;
  resetKey: string;
}

/** A bug in one view must not take the terminal down with it: show one line and carry on. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <Text color="red" wrap="truncate">
          ✖ this view failed: {this.state.error.message} (Esc to go back; KITTEN_DEBUG=1 for details)
        </Text>
      );
    }
    return this.props.children;
  }
}
