import { Badge } from "@mantine/core";

const COLORS: Record<string, string> = {
  queued: "gray",
  importing: "gray",
  created: "blue",
  emailed: "blue",
  invited: "blue",
  verified: "cyan",
  accepted: "green",
  active: "green",
  failed: "red",
  expired: "orange",
  revoked: "dark",
  blocked: "red",
  removed: "dark",
};

const LABELS: Record<string, string> = {
  created: "invited",
  emailed: "invited",
  importing: "queued",
};

/** The badge text is the state name people use ("invited" for created/emailed). */
export function stateLabel(state: string): string {
  return LABELS[state] ?? state;
}

export function StateBadge({ state }: { state: string }) {
  return (
    <Badge color={COLORS[state] ?? "gray"} variant="light" radius="sm">
      {stateLabel(state)}
    </Badge>
  );
}
