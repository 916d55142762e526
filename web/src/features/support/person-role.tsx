// The person's role in their tenant on the support card, and support's way to change it (with the
// same confirmation an admin gets on the members page).
import type { SupportUserResult } from "@app/bff/contract";
import { Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { RoleChangeModal } from "../../components/role-change-modal.tsx";
import { RoleBadge } from "../../components/roles.tsx";
import { useSupportChangeRole } from "./api.ts";

export function PersonRole({ person }: { person: SupportUserResult }) {
  const change = useSupportChangeRole();
  const [confirming, setConfirming] = useState(false);
  const { tenant, role } = person;
  if (tenant === null || role === null) return null;
  const to = role === "admin" ? "member" : "admin";
  const confirm = () =>
    change.mutate(
      { userId: person.userId, tenantId: tenant.id, role: to },
      {
        onSuccess: () => {
          setConfirming(false);
          notifications.show({
            color: "green",
            message: `${person.email} is now ${to === "admin" ? "an admin" : "a member"} of ${tenant.name}`,
          });
        },
      },
    );
  return (
    <Group gap="xs">
      <Text size="sm">Role in {tenant.name}:</Text>
      <RoleBadge role={role} />
      <Button
        size="xs"
        variant="default"
        aria-label={`${to === "admin" ? "Make admin" : "Make member"}: ${person.email}`}
        onClick={() => {
          change.reset();
          setConfirming(true);
        }}
      >
        {to === "admin" ? "Make admin" : "Make member"}
      </Button>
      <RoleChangeModal
        change={
          confirming
            ? { email: person.email, to, tenantName: tenant.name, self: false }
            : null
        }
        pending={change.isPending}
        error={change.error}
        onConfirm={confirm}
        onClose={() => setConfirming(false)}
      />
    </Group>
  );
}
