// Live progress of one import; the id is in the URL, so a reload resumes polling.
import type { ImportProgress } from "@app/bff/contract";
import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import {
  ErrorMessage,
  errorText,
  errorTitle,
} from "../../components/error-message.tsx";
import { PageLoader } from "../../components/page-loader.tsx";
import { RoleBadge } from "../../components/roles.tsx";
import { StateBadge } from "../../components/state-badge.tsx";
import { useApiClient } from "../../lib/api-context.tsx";
import { saveBlob } from "../../lib/download.ts";
import { useSession } from "../../lib/session.tsx";
import { errorReportPath, importQueries } from "./api.ts";

function summarise(p: ImportProgress) {
  const c = p.counts;
  const sent = (c.emailed ?? 0) + (c.verified ?? 0) + (c.accepted ?? 0);
  const failed = c.failed ?? 0;
  const waiting = (c.queued ?? 0) + (c.importing ?? 0) + (c.created ?? 0);
  return {
    sent,
    failed,
    waiting,
    finished: sent + failed + (c.revoked ?? 0) + (c.expired ?? 0),
  };
}

export function ImportProgressPage() {
  const { importId = "" } = useParams();
  const me = useSession();
  const tenantId = me.tenant?.id;
  if (tenantId === undefined)
    return (
      <Text>
        Imports belong to a tenant; open this page as that tenant's admin.
      </Text>
    );
  return <ImportProgressView tenantId={tenantId} importId={importId} />;
}

function ImportProgressView({
  tenantId,
  importId,
}: {
  tenantId: string;
  importId: string;
}) {
  const api = useApiClient();
  const [failedOnly, setFailedOnly] = useState(false);
  const progress = useQuery(importQueries.progress(api, tenantId, importId));
  const rows = useInfiniteQuery(
    importQueries.rows(api, tenantId, importId, failedOnly),
  );
  const done = progress.data?.done === true;
  const refetchRows = rows.refetch;
  // Row states change while the pipeline runs: refresh them with each progress tick, and once at the end.
  useEffect(() => {
    if (progress.dataUpdatedAt > 0) void refetchRows();
  }, [progress.dataUpdatedAt, refetchRows]);

  const download = async () => {
    try {
      saveBlob(
        await api.download(errorReportPath(tenantId, importId)),
        `import-${importId}-errors.csv`,
      );
    } catch (error) {
      notifications.show({
        color: "red",
        title: errorTitle(error),
        message: errorText(error),
      });
    }
  };

  if (progress.isPending) return <PageLoader label="Loading import" />;
  if (progress.isError) return <ErrorMessage error={progress.error} />;
  const p = progress.data;
  const s = summarise(p);
  const percent = p.total === 0 ? 100 : (s.finished / p.total) * 100;
  const items = rows.data?.pages.flatMap((page) => page.rows) ?? [];

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Import progress</Title>
          <Text c="dimmed">
            {p.total} people · started {new Date(p.createdAt).toLocaleString()}
          </Text>
        </div>
        <Button component={Link} to="/import" variant="default">
          Import another file
        </Button>
      </Group>
      <Paper p="lg">
        <Stack gap="sm">
          <Group justify="space-between">
            <Text fw={600} aria-live="polite">
              {done ? "Import finished" : "Sending invitations…"}
            </Text>
            <Text size="sm" c="dimmed">
              {s.finished} of {p.total}
            </Text>
          </Group>
          <Progress
            value={percent}
            size="lg"
            animated={!done}
            aria-label="Import progress"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Stat label="Invitations sent" value={s.sent} />
            <Stat label="In progress" value={s.waiting} />
            <Stat label="Failed" value={s.failed} />
          </SimpleGrid>
          {p.waitingReason ? (
            <Alert color="blue">{p.waitingReason}</Alert>
          ) : null}
        </Stack>
      </Paper>
      <Group justify="space-between">
        <Switch
          label="Only failed rows"
          checked={failedOnly}
          onChange={(e) => setFailedOnly(e.currentTarget.checked)}
        />
        <Button
          variant="default"
          disabled={s.failed === 0}
          onClick={() => void download()}
        >
          Download error report
        </Button>
      </Group>
      {rows.isError ? <ErrorMessage error={rows.error} /> : null}
      <Paper>
        <Table.ScrollContainer minWidth={600}>
          <Table striped aria-label="Import rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.sourceRow ?? r.row}</Table.Td>
                  <Table.Td>{r.email}</Table.Td>
                  <Table.Td>
                    <RoleBadge role={r.role} />
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={r.state} />
                  </Table.Td>
                  <Table.Td>{r.failureReason ?? ""}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {rows.hasNextPage ? (
        <Group justify="center">
          <Button
            variant="default"
            loading={rows.isFetchingNextPage}
            onClick={() => void rows.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <Paper p="sm" withBorder>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}
