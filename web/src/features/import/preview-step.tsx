import type { Verdict, TenantRole } from "@app/bff/contract";
import { Alert, Button, Chip, Group, Paper, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorMessage } from "../../components/error-message.tsx";
import { PageLoader } from "../../components/page-loader.tsx";
import { SeatMeter } from "../../components/seat-meter.tsx";
import { useApiClient } from "../../lib/api-context.tsx";
import { importQueries } from "./api.ts";
import { countVerdicts, mergeVerdicts } from "./merge-verdicts.ts";
import {
  PreviewTable,
  VERDICT_LABELS,
  type PreviewRow,
} from "./preview-table.tsx";
import { ELIGIBLE, selectFirst, toggle } from "./seat-selection.ts";
import type { ValidatedFile } from "./use-csv-worker.ts";

type Props = {
  tenantId: string;
  uploadId: string;
  file: ValidatedFile;
  sending: boolean;
  /** the chosen rows (by index) and the roles changed in the table */
  onSend: (indexes: number[], roles: ReadonlyMap<number, TenantRole>) => void;
};

const selectable = (row: PreviewRow) => ELIGIBLE.has(row.verdict);

export function PreviewStep({
  tenantId,
  uploadId,
  file,
  sending,
  onSend,
}: Props) {
  const api = useApiClient();
  // The body comes serialised from the worker: no row objects, no JSON.stringify on the page.
  const preview = useQuery(
    importQueries.preview(api, tenantId, uploadId, file.previewBody),
  );
  // Nothing to merge until the answer is there: 100,000 merged rows built for the loader's first
  // render would only delay the request (the query starts after that render).
  const rows = useMemo(
    () =>
      preview.data === undefined
        ? []
        : mergeVerdicts(file.checks, preview.data),
    [file, preview.data],
  );
  const counts = useMemo(() => countVerdicts(rows), [rows]);
  const free = Math.max(0, preview.data?.seats.free ?? 0);
  // Once per answer, not on every render (a click on a checkbox re-renders 100,000 rows' step).
  const firstFree = useMemo(() => selectFirst(rows, free), [rows, free]);
  const eligible = useMemo(() => rows.filter(selectable).length, [rows]);
  const [filter, setFilter] = useState<Verdict | "all">("all");
  const [chosen, setChosen] = useState<Set<number> | null>(null);
  const [roles, setRoles] = useState<ReadonlyMap<number, TenantRole>>(
    new Map(),
  );

  if (preview.isPending)
    return <PageLoader label="Checking rows against your seats" />;
  if (preview.isError) {
    return (
      <Stack align="flex-start">
        <ErrorMessage error={preview.error} />
        <Button variant="default" onClick={() => void preview.refetch()}>
          Try the preview again
        </Button>
      </Stack>
    );
  }

  const selection = chosen ?? firstFree;
  const visible =
    filter === "all" ? rows : rows.filter((r) => r.verdict === filter);
  const n = selection.size;
  let admins = 0;
  for (const index of selection)
    if ((roles.get(index) ?? rows[index]?.role) === "admin") admins += 1;
  const verdicts = (Object.keys(VERDICT_LABELS) as Verdict[]).filter(
    (v) => (counts[v] ?? 0) > 0,
  );

  return (
    <Stack>
      <Paper p="md">
        <SeatMeter
          seats={preview.data.seats}
          label="Seats before this import"
        />
      </Paper>
      {eligible > free ? (
        <Alert
          color="yellow"
          title={`${eligible} people can be invited, but only ${free} seats are free`}
        >
          Choose who takes the free seats with the checkboxes, or select the
          first {free}.
        </Alert>
      ) : null}
      <Chip.Group
        multiple={false}
        value={filter}
        onChange={(v) => setFilter(v as Verdict | "all")}
      >
        <Group gap="xs" role="radiogroup" aria-label="Filter rows by verdict">
          <Chip value="all">All ({rows.length})</Chip>
          {verdicts.map((v) => (
            <Chip key={v} value={v}>
              {VERDICT_LABELS[v]} ({counts[v]})
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Paper>
        <PreviewTable
          rows={visible}
          selected={selection}
          selectable={selectable}
          full={n >= free}
          onToggle={(index) => setChosen(toggle(selection, index, free))}
          roles={roles}
          onRoleChange={(index, role) =>
            setRoles((before) => new Map(before).set(index, role))
          }
        />
      </Paper>
      <Group justify="space-between">
        <Group gap="xs">
          <Button
            variant="default"
            onClick={() => setChosen(selectFirst(rows, free))}
            disabled={eligible === 0}
          >
            Select first {Math.min(free, eligible)}
          </Button>
          <Button
            variant="subtle"
            onClick={() => setChosen(new Set())}
            disabled={n === 0}
          >
            Clear selection
          </Button>
          <Text size="sm" c="dimmed" aria-live="polite">
            {n} of {free} free seats chosen
            {admins > 0 ? ` · ${admins} as admin` : ""}
          </Text>
        </Group>
        <Button
          size="md"
          disabled={n === 0}
          loading={sending}
          onClick={() =>
            onSend(
              [...selection].sort((a, b) => a - b),
              roles,
            )
          }
        >
          Send {n} invitation{n === 1 ? "" : "s"}
        </Button>
      </Group>
    </Stack>
  );
}
