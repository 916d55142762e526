import type { SeatSummary } from "@app/bff/contract";
import { Group, Progress, Stack, Text, Tooltip } from "@mantine/core";

/** Used, pending and free seats as one stacked bar with the numbers spelled out. */
export function SeatMeter({
  seats,
  label = "Seats",
}: {
  seats: SeatSummary;
  label?: string;
}) {
  const limit = Math.max(seats.limit, 1);
  const used = (seats.used / limit) * 100;
  const pending = (seats.pending / limit) * 100;
  const full = seats.free <= 0;
  return (
    <Stack gap={6} aria-label={label} role="group">
      <Group justify="space-between">
        <Text fw={600}>{label}</Text>
        <Text size="sm" c={full ? "red" : "dimmed"}>
          {seats.free} of {seats.limit} free
        </Text>
      </Group>
      <Progress.Root size="lg" aria-hidden>
        <Tooltip label={`${seats.used} members`}>
          <Progress.Section value={used} color="indigo" />
        </Tooltip>
        <Tooltip label={`${seats.pending} open invitations`}>
          <Progress.Section value={pending} color="cyan" />
        </Tooltip>
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {seats.used} members · {seats.pending} invitations pending ·{" "}
        {seats.free} free
      </Text>
    </Stack>
  );
}
