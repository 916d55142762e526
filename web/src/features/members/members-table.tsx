import type { Member } from "@app/bff/contract";
import { Button, Group, Table, Text, VisuallyHidden } from "@mantine/core";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { RoleBadge } from "../../components/roles.tsx";
import { StateBadge } from "../../components/state-badge.tsx";
import { isInvitation } from "./revoke-modal.tsx";

const RESENDABLE = new Set(["created", "emailed", "verified", "expired"]);
/** Whose role can change: people with access and open invitations (the BFF has the final say). */
const ROLE_CHANGEABLE = new Set([
  "active",
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
]);

type Props = {
  members: Member[];
  canResend: boolean;
  canRevoke: boolean;
  canChangeRole: boolean;
  resendingId: string | null;
  onResend: (member: Member) => void;
  onRevoke: (member: Member) => void;
  onChangeRole: (member: Member) => void;
};

function expiresIn(member: Member): string {
  if (!isInvitation(member) || member.expiresAt === null) return "—";
  const at = new Date(member.expiresAt).getTime();
  return at < Date.now() ? "expired" : formatRelative(member.expiresAt);
}

export function MembersTable({
  members,
  canResend,
  canRevoke,
  canChangeRole,
  resendingId,
  onResend,
  onRevoke,
  onChangeRole,
}: Props) {
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Invited by</Table.Th>
            <Table.Th>Invited</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((m) => (
            <Table.Tr key={m.userId}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {m.email}
                </Text>
                {m.name ? (
                  <Text size="xs" c="dimmed">
                    {m.name}
                  </Text>
                ) : null}
                {m.failureReason ? (
                  <Text size="xs" c="red">
                    {m.failureReason}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <RoleBadge role={m.role} />
              </Table.Td>
              <Table.Td>
                <StateBadge
                  state={m.state === "active" ? "accepted" : m.state}
                />
              </Table.Td>
              <Table.Td>{m.invitedBy ?? "—"}</Table.Td>
              <Table.Td>{formatDateTime(m.invitedAt)}</Table.Td>
              <Table.Td>{expiresIn(m)}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  {canResend && RESENDABLE.has(m.state) ? (
                    <Button
                      size="xs"
                      variant="light"
                      loading={resendingId === m.userId}
                      aria-label={`Resend invitation to ${m.email}`}
                      onClick={() => onResend(m)}
                    >
                      Resend
                    </Button>
                  ) : null}
                  {canChangeRole && ROLE_CHANGEABLE.has(m.state) ? (
                    <Button
                      size="xs"
                      variant="default"
                      // the visible text first: the accessible name contains it (WCAG 2.5.3)
                      aria-label={`${m.role === "admin" ? "Make member" : "Make admin"}: ${m.email}`}
                      onClick={() => onChangeRole(m)}
                    >
                      {m.role === "admin" ? "Make member" : "Make admin"}
                    </Button>
                  ) : null}
                  {canRevoke &&
                  m.state !== "revoked" &&
                  m.state !== "removed" ? (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`${isInvitation(m) ? "Revoke" : "Remove"} ${m.email}`}
                      onClick={() => onRevoke(m)}
                    >
                      {isInvitation(m) ? "Revoke" : "Remove"}
                    </Button>
                  ) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
