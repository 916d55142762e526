import type { TenantSummary } from "@app/bff/contract";
import {
  Button,
  Group,
  Modal,
  NumberInput,
  Progress,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { Link } from "react-router";
import { ErrorMessage } from "../../components/error-message.tsx";
import { useUpdateTenant } from "./api.ts";

export function TenantsTable({
  tenants,
  canManage,
}: {
  tenants: TenantSummary[];
  canManage: boolean;
}) {
  const [editing, setEditing] = useState<TenantSummary | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={600}>
        <Table aria-label="Tenants" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Tenant</Table.Th>
              <Table.Th>Seat usage</Table.Th>
              <Table.Th>Free</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tenants.map((t) => {
              const taken = t.seats.used + t.seats.pending;
              return (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Text fw={500}>{t.name}</Text>
                    <Text size="xs" c="dimmed">
                      {t.id}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={200}>
                    <Progress
                      value={
                        t.seats.limit === 0
                          ? 100
                          : (taken / t.seats.limit) * 100
                      }
                      aria-label={`${t.name} seat usage`}
                    />
                    <Text size="xs" c="dimmed">
                      {t.seats.used} members + {t.seats.pending} pending of{" "}
                      {t.seats.limit}
                    </Text>
                  </Table.Td>
                  <Table.Td>{t.seats.free}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="subtle"
                        component={Link}
                        to={`/members?tenant=${encodeURIComponent(t.id)}`}
                      >
                        Members
                      </Button>
                      {canManage ? (
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Change seats of ${t.name}`}
                          onClick={() => setEditing(t)}
                        >
                          Change seats
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `Seats of ${editing.name}` : ""}
        centered
      >
        {editing ? (
          <SeatForm tenant={editing} onDone={() => setEditing(null)} />
        ) : null}
      </Modal>
    </>
  );
}

function SeatForm({
  tenant,
  onDone,
}: {
  tenant: TenantSummary;
  onDone: () => void;
}) {
  const update = useUpdateTenant();
  const [limit, setLimit] = useState<number | string>(tenant.seats.limit);
  const taken = tenant.seats.used + tenant.seats.pending;
  const value = typeof limit === "number" ? limit : Number.parseInt(limit, 10);
  const save = () =>
    update.mutate(
      { tenantId: tenant.id, input: { seatLimit: value } },
      {
        onSuccess: (t) => {
          notifications.show({
            color: "green",
            message: `${t.name} now has ${t.seats.limit} seats`,
          });
          onDone();
        },
      },
    );
  return (
    <Stack>
      <NumberInput
        label="Seat limit"
        min={0}
        max={1_000_000}
        value={limit}
        onChange={setLimit}
        data-autofocus
      />
      {Number.isFinite(value) && value < taken ? (
        <Text size="sm" c="orange">
          Below the {taken} seats in use: nobody is removed, but no new
          invitations can be sent.
        </Text>
      ) : null}
      {update.isError ? <ErrorMessage error={update.error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button
          onClick={save}
          loading={update.isPending}
          disabled={!Number.isFinite(value) || value < 0}
        >
          Save seats
        </Button>
      </Group>
    </Stack>
  );
}
