import { Button, Stack } from "@mantine/core";
import { Component, type ReactNode } from "react";
import { isRouteErrorResponse, useRouteError } from "react-router";
import { ErrorMessage } from "../components/error-message.tsx";

type Props = { children: ReactNode; resetKey?: string };
type State = { error: unknown };

/** One per page: a crash in one page leaves the layout and the other pages usable. */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidUpdate(previous: Props): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error !== null)
      this.setState({ error: null });
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <Stack align="flex-start">
        <ErrorMessage
          error={this.state.error}
          title="This page failed to load"
        />
        <Button
          variant="default"
          onClick={() => this.setState({ error: null })}
        >
          Try again
        </Button>
      </Stack>
    );
  }
}

export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? new Error(`${error.status} ${error.statusText}`)
    : error;
  return (
    <Stack p="xl" align="flex-start">
      <ErrorMessage error={message} title="Something went wrong" />
      <Button component="a" href="/">
        Back to start
      </Button>
    </Stack>
  );
}
