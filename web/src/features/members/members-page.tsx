import type { Member, MemberState, TenantRole } from "@app/bff/contract";
import {
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import {
  ErrorMessage,
  errorText,
  errorTitle,
} from "../../components/error-message.tsx";
import { PageLoader } from "../../components/page-loader.tsx";
import { ROLE_OPTIONS } from "../../components/roles.tsx";
import { SeatMeter } from "../../components/seat-meter.tsx";
import { useApiClient } from "../../lib/api-context.tsx";
import { can, useSession } from "../../lib/session.tsx";
import {
  memberQueries,
  useBulkResend,
  useInviteMember,
  useRemoveMember,
  useResendMember,
} from "./api.ts";
import { BulkResendForm } from "./bulk-resend-form.tsx";
import { InviteForm } from "./invite-form.tsx";
import { MemberRoleDialog } from "./member-role-dialog.tsx";
import { MembersTable } from "./members-table.tsx";
import { RevokeModal } from "./revoke-modal.tsx";

const STATE_FILTERS: { value: MemberState; label: string }[] = [
  { value: "emailed", label: "Invited" },
  { value: "verified", label: "Verified" },
  { value: "active", label: "Accepted" },
  { value: "failed", label: "Failed" },
  { value: "expired", label: "Expired" },
  { value: "revoked", label: "Revoked" },
  { value: "queued", label: "Queued" },
  { value: "blocked", label: "Blocked" },
];

function fail(error: unknown) {
  notifications.show({
    color: "red",
    title: errorTitle(error),
    message: errorText(error),
  });
}

export function MembersPage() {
  const me = useSession();
  const [params] = useSearchParams();
  const tenantId = can(me, "read:all_tenants")
    ? (params.get("tenant") ?? me.tenant?.id)
    : me.tenant?.id;
  if (tenantId === undefined) {
    return (
      <Stack>
        <Title order={1}>Members</Title>
        <Text c="dimmed">
          Choose a tenant from the Support page to see its members.
        </Text>
      </Stack>
    );
  }
  return <TenantMembers tenantId={tenantId} />;
}

function TenantMembers({ tenantId }: { tenantId: string }) {
  const me = useSession();
  const api = useApiClient();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const [state, setState] = useState<MemberState | null>(null);
  const [role, setRole] = useState<TenantRole | null>(null);
  const [promoting, setPromoting] = useState<Member | null>(null);
  const [revoking, setRevoking] = useState<Member | null>(null);
  const [dialog, setDialog] = useState<"invite" | "bulk" | null>(null);
  const tenant = useQuery(memberQueries.tenant(api, tenantId));
  const list = useInfiniteQuery(
    memberQueries.list(api, tenantId, {
      state: state ?? undefined,
      role: role ?? undefined,
      q: q || undefined,
    }),
  );
  const resend = useResendMember(tenantId);
  const remove = useRemoveMember(tenantId);
  const bulk = useBulkResend(tenantId);
  const invite = useInviteMember(tenantId);
  const ownTenant = me.tenant?.id === tenantId;
  const members = list.data?.pages.flatMap((p) => p.items) ?? [];

  const onResend = (m: Member) =>
    resend.mutate(m.userId, {
      onSuccess: () =>
        notifications.show({
          color: "green",
          message: `Invitation resent to ${m.email}`,
        }),
      onError: fail,
    });
  const onConfirmRevoke = (m: Member) =>
    remove.mutate(
      { userId: m.userId, self: m.userId === me.user.sub },
      {
        onSuccess: (r) => {
          setRevoking(null);
          notifications.show({
            color: "green",
            message: `${m.email} ${r.outcome === "revoked" ? "revoked" : "removed"}`,
          });
        },
      },
    );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Members</Title>
          <Text c="dimmed">
            {tenant.data ? tenant.data.name : tenantId}: people with access and
            open invitations.
          </Text>
        </div>
        <Group>
          {can(me, "resend:invitations") ? (
            <Button variant="default" onClick={() => setDialog("bulk")}>
              Resend invitations…
            </Button>
          ) : null}
          {ownTenant && can(me, "invite:members") ? (
            <Button onClick={() => setDialog("invite")}>
              Invite one person
            </Button>
          ) : null}
        </Group>
      </Group>
      <Paper p="md">
        {tenant.isError ? <ErrorMessage error={tenant.error} /> : null}
        {tenant.data ? (
          <SeatMeter seats={tenant.data.seats} />
        ) : tenant.isPending ? (
          <PageLoader label="Loading seats" />
        ) : null}
      </Paper>
      <Group align="flex-end">
        <TextInput
          label="Search members"
          placeholder="Email or name"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Select
          label="State"
          placeholder="All states"
          data={STATE_FILTERS}
          value={state}
          onChange={(v) => setState(v as MemberState | null)}
          clearable
          w={200}
        />
        <Select
          label="Role"
          placeholder="All roles"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(v) => setRole(v as TenantRole | null)}
          clearable
          w={160}
        />
      </Group>
      {list.isError ? <ErrorMessage error={list.error} /> : null}
      {list.isPending ? <PageLoader label="Loading members" /> : null}
      {list.isSuccess && members.length === 0 ? (
        <Paper p="xl">
          <Text ta="center" c="dimmed">
            {q || state || role
              ? "Nobody matches these filters."
              : "No members yet. Import a CSV or invite one person."}
          </Text>
        </Paper>
      ) : null}
      {members.length > 0 ? (
        <Paper>
          <MembersTable
            members={members}
            canResend={can(me, "resend:invitations")}
            canRevoke={ownTenant && can(me, "revoke:members")}
            canChangeRole={
              (ownTenant && can(me, "invite:members")) ||
              can(me, "read:all_tenants")
            }
            resendingId={resend.isPending ? (resend.variables ?? null) : null}
            onResend={onResend}
            onRevoke={(m) => {
              remove.reset();
              setRevoking(m);
            }}
            onChangeRole={setPromoting}
          />
        </Paper>
      ) : null}
      {list.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      ) : null}
      <MemberRoleDialog
        tenantId={tenantId}
        tenantName={tenant.data?.name ?? tenantId}
        selfId={me.user.sub}
        member={promoting}
        onClose={() => setPromoting(null)}
      />
      <RevokeModal
        member={revoking}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={onConfirmRevoke}
        onClose={() => setRevoking(null)}
      />
      <Modal
        opened={dialog === "invite"}
        onClose={() => setDialog(null)}
        title="Invite one person"
        centered
      >
        <InviteForm
          pending={invite.isPending}
          error={invite.error}
          onCancel={() => setDialog(null)}
          onSubmit={(row) =>
            invite.mutate(row, {
              onSuccess: () => {
                setDialog(null);
                notifications.show({
                  color: "green",
                  message: `Invitation sent to ${row.email}`,
                });
              },
            })
          }
        />
      </Modal>
      <Modal
        opened={dialog === "bulk"}
        onClose={() => setDialog(null)}
        title="Resend invitations"
        centered
      >
        <BulkResendForm
          pending={bulk.isPending}
          error={bulk.error}
          onCancel={() => setDialog(null)}
          onSubmit={(input) =>
            bulk.mutate(input, {
              onSuccess: (r) => {
                setDialog(null);
                notifications.show({
                  color: "green",
                  message: `${r.count} invitation${r.count === 1 ? "" : "s"} will be resent`,
                });
              },
            })
          }
        />
      </Modal>
    </Stack>
  );
}
