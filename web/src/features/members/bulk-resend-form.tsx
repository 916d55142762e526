import { Button, Group, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { ErrorMessage } from "../../components/error-message.tsx";
import type { BulkResendInput } from "./api.ts";

type ResendState = NonNullable<BulkResendInput["state"]>;
const STATES: { value: ResendState; label: string }[] = [
  { value: "emailed", label: "Invited, not yet accepted" },
  { value: "expired", label: "Expired" },
  { value: "verified", label: "Verified, no password yet" },
];

type Props = {
  pending: boolean;
  error: unknown;
  onSubmit: (input: BulkResendInput) => void;
  onCancel: () => void;
};

/** Resend every invitation matching a state and age, e.g. "invited more than 7 days ago". */
export function BulkResendForm({ pending, error, onSubmit, onCancel }: Props) {
  const [state, setState] = useState<ResendState | null>("emailed");
  const [days, setDays] = useState<number | string>(7);
  const submit = () => {
    const olderThanDays =
      typeof days === "number" ? days : Number.parseInt(days, 10);
    onSubmit({
      state: state ?? undefined,
      olderThanDays: Number.isFinite(olderThanDays) ? olderThanDays : undefined,
    });
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Each matching person gets a new link and a new email; their old link
        stops working.
      </Text>
      <Select
        label="Invitation state"
        data={STATES}
        value={state}
        onChange={(v) =>
          setState(STATES.find((s) => s.value === v)?.value ?? null)
        }
        allowDeselect={false}
      />
      <NumberInput
        label="Invited more than (days ago)"
        min={0}
        max={365}
        value={days}
        onChange={setDays}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button loading={pending} onClick={submit}>
          Resend invitations
        </Button>
      </Group>
    </Stack>
  );
}
