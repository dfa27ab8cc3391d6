import { Alert, Button, Text } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * A page that throws while rendering (an answer of a shape it did not expect) says so in words
 * and offers a reload, instead of leaving a blank page.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('The page failed to render', error, info.componentStack);
  }

  componentDidUpdate(previous: { resetKey?: string }) {
    // moving to another page gives it a fresh start
    if (previous.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert color="red" title="This page could not be shown" role="alert" my="md">
        <Text mb="sm">
          Something in it went wrong ({this.state.error.message}). The data is safe; reloading usually helps, and if it
          does not, tell your IT provider what you were doing.
        </Text>
        <Button variant="outline" color="red" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Alert>
    );
  }
}
