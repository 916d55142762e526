import type { SupportUserResult } from "@app/bff/contract";
import { Badge, Button, Group, Paper, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { errorText, errorTitle } from "../../components/error-message.tsx";
import { formatDateTime } from "../../components/format.ts";
import { StateBadge } from "../../components/state-badge.tsx";
import { RoleBadge } from "../../components/roles.tsx";
import { useInvitationLink, useSendLink, useSupportResend } from "./api.ts";
import { PersonRole } from "./person-role.tsx";

const fail = (error: unknown) =>
  notifications.show({
    color: "red",
    title: errorTitle(error),
    message: errorText(error),
  });
const done = (message: string) =>
  notifications.show({ color: "green", message });

/** One person found by email: tenant, Auth0 state, invitation history and the support actions. */
export function PersonCard({ person }: { person: SupportUserResult }) {
  const resend = useSupportResend();
  const link = useSendLink();
  const copy = useInvitationLink();
  const latest = person.invitations[0];
  const tenantId = person.tenant?.id ?? latest?.tenantId;

  const copyLink = () =>
    copy.mutate(
      { userId: person.userId },
      {
        onSuccess: ({ url }) => {
          navigator.clipboard.writeText(url).then(
            () => done("Invitation link copied"),
            () =>
              fail(
                new Error(
                  "The browser did not allow copying; the link is " + url,
                ),
              ),
          );
        },
        onError: fail,
      },
    );

  return (
    <Paper p="md" aria-label={`Person ${person.email}`} component="section">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text fw={600}>{person.email}</Text>
            <Text size="sm" c="dimmed">
              {person.name ?? "No name"} ·{" "}
              {person.tenant ? person.tenant.name : "No tenant"} ·{" "}
              {person.userId}
            </Text>
          </div>
          <Group gap="xs">
            {latest ? <StateBadge state={latest.state} /> : null}
            {person.auth0 ? (
              <>
                <Badge
                  // light, not outline: theme.ts keeps light badges above AA contrast
                  variant="light"
                  color={person.auth0.emailVerified ? "green" : "gray"}
                >
                  {person.auth0.emailVerified
                    ? "email verified"
                    : "email not verified"}
                </Badge>
                {person.auth0.blocked ? (
                  <Badge color="red">blocked</Badge>
                ) : null}
              </>
            ) : (
              <Badge variant="light" color="gray">
                not in Auth0 yet
              </Badge>
            )}
          </Group>
        </Group>
        <PersonRole person={person} />
        <Group gap="xs">
          <Button
            size="xs"
            disabled={tenantId === undefined}
            loading={resend.isPending}
            onClick={() =>
              tenantId !== undefined &&
              resend.mutate(
                { userId: person.userId, tenantId },
                {
                  onSuccess: (r) => done(`Invitation resent to ${r.email}`),
                  onError: fail,
                },
              )
            }
          >
            Resend invitation
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={person.auth0 === null}
            loading={link.isPending && link.variables.kind === "password"}
            onClick={() =>
              link.mutate(
                { userId: person.userId, kind: "password" },
                {
                  onSuccess: (r) => done(`Password link sent to ${r.email}`),
                  onError: fail,
                },
              )
            }
          >
            Send password link
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={person.auth0 === null}
            loading={link.isPending && link.variables.kind === "verification"}
            onClick={() =>
              link.mutate(
                { userId: person.userId, kind: "verification" },
                {
                  onSuccess: (r) =>
                    done(`Verification link sent to ${r.email}`),
                  onError: fail,
                },
              )
            }
          >
            Send verification link
          </Button>
          <Button
            size="xs"
            variant="subtle"
            loading={copy.isPending}
            onClick={copyLink}
          >
            Copy invitation link
          </Button>
        </Group>
        {person.invitations.length > 0 ? (
          <Table aria-label={`Invitation history of ${person.email}`} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tenant</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Invited</Table.Th>
                <Table.Th>Emailed</Table.Th>
                <Table.Th>Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {person.invitations.map((inv) => (
                <Table.Tr key={inv.invitationId}>
                  <Table.Td>{inv.tenantId}</Table.Td>
                  <Table.Td style={{ minWidth: 110 }}>
                    <StateBadge state={inv.state} />
                    {inv.failureReason ? (
                      <Text size="xs" c="red">
                        {inv.failureReason}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={inv.role} />
                  </Table.Td>
                  <Table.Td>{inv.invitedBy ?? "—"}</Table.Td>
                  <Table.Td>{formatDateTime(inv.invitedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(inv.emailedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(inv.expiresAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            No invitations through Guestlist.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
