import type { TenantRole } from "@app/bff/contract";
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Stepper,
  Text,
  Title,
} from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { ErrorMessage } from "../../components/error-message.tsx";
import { PageLoader } from "../../components/page-loader.tsx";
import { can, useSession } from "../../lib/session.tsx";
import { useCreateImport } from "./api.ts";
import { SOURCE_LABELS, type ColumnMapping } from "./detect-columns.ts";
import { FilePicker } from "./file-picker.tsx";
import { recallMapping, rememberMapping } from "./mapping-memory.ts";
import { MappingForm } from "./mapping-form.tsx";
import { PreviewStep } from "./preview-step.tsx";
import { fileProblem } from "./template.ts";
import { useCsvWorker, type ValidatedFile } from "./use-csv-worker.ts";
import { toInvitationRow } from "./validate-rows.ts";

export function ImportPage() {
  const me = useSession();
  if (me.tenant === null || !can(me, "invite:members")) {
    return (
      <Stack>
        <Title order={1}>Import people</Title>
        <Text c="dimmed">
          Only a customer admin can import people into their own tenant.
        </Text>
      </Stack>
    );
  }
  return <ImportFlow tenantId={me.tenant.id} />;
}

function ImportFlow({ tenantId }: { tenantId: string }) {
  const csv = useCsvWorker();
  const { state } = csv;
  const navigate = useNavigate();
  const createImport = useCreateImport(tenantId);
  // One key per upload: a double click or a retry of "Send" cannot create a second import.
  const [uploadId, setUploadId] = useState(() => crypto.randomUUID());
  const [manual, setManual] = useState(false);
  const autoMapped = useRef<string | null>(null);

  const onFile = (file: File) => {
    const problem = fileProblem(file);
    setUploadId(crypto.randomUUID());
    setManual(false);
    createImport.reset();
    if (problem !== null) csv.fail(file.name, problem);
    else csv.parse(file);
  };

  // A confident detection, or a mapping remembered for this header set, skips the mapping form.
  useEffect(() => {
    if (state.phase !== "parsed" || manual) return;
    const key = `${state.file.fileName}:${uploadId}`;
    if (autoMapped.current === key) return;
    const { detection, header } = state.file.analysis;
    const mapping = detection.confident
      ? detection.mapping
      : recallMapping(header);
    if (mapping !== null) {
      autoMapped.current = key;
      csv.validate(mapping);
    }
  }, [state, manual, uploadId, csv]);

  const confirmMapping = (mapping: ColumnMapping) => {
    if (state.phase === "parsed")
      rememberMapping(state.file.analysis.header, mapping);
    setUploadId(crypto.randomUUID());
    setManual(false);
    autoMapped.current = "manual";
    csv.validate(mapping);
  };

  const send = (
    file: ValidatedFile,
    indexes: number[],
    roles: ReadonlyMap<number, TenantRole>,
  ) => {
    const chosen = indexes.filter((i) => i < file.checks.length);
    // a role chosen in the preview wins over the file's
    const rowOf = (i: number) => {
      const role = roles.get(i);
      const input = file.checks.input(i);
      return toInvitationRow(role === undefined ? input : { ...input, role });
    };
    createImport.mutate(
      {
        rows: chosen.map(rowOf),
        // the progress page numbers rows as the file (and the preview) does
        sourceRows: chosen.map((i) => file.checks.row(i)),
        idempotencyKey: uploadId,
      },
      { onSuccess: ({ importId }) => void navigate(`/import/${importId}`) },
    );
  };

  const step =
    state.phase === "idle" ||
    state.phase === "parsing" ||
    state.phase === "failed"
      ? 0
      : state.phase === "validated"
        ? 2
        : 1;
  const needsMapping =
    state.phase === "parsed" &&
    (manual ||
      (!state.file.analysis.detection.confident &&
        recallMapping(state.file.analysis.header) === null));

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Import people</Title>
        <Text c="dimmed">
          Upload a list, check every row, then choose who gets the free seats.
        </Text>
      </div>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label="Upload" description="CSV from any system" />
        <Stepper.Step label="Columns" description="Email, names, role" />
        <Stepper.Step label="Preview" description="Verdicts and seats" />
      </Stepper>
      {state.phase === "idle" || state.phase === "failed" ? (
        <>
          {state.phase === "failed" ? (
            <Alert
              color="red"
              title={`${state.fileName} cannot be imported`}
              role="alert"
            >
              {state.message}
            </Alert>
          ) : null}
          <FilePicker onFile={onFile} />
        </>
      ) : null}
      {state.phase === "parsing" ? (
        <Paper p="lg">
          <Text mb="xs">Reading {state.fileName}…</Text>
          <Progress
            value={state.total === 0 ? 0 : (state.loaded / state.total) * 100}
            aria-label="Parsing progress"
            animated
          />
        </Paper>
      ) : null}
      {needsMapping && state.phase === "parsed" ? (
        <MappingForm
          file={state.file}
          initial={
            recallMapping(state.file.analysis.header) ??
            state.file.analysis.detection.mapping
          }
          onConfirm={confirmMapping}
          onCancel={csv.reset}
        />
      ) : null}
      {state.phase === "validating" ||
      (state.phase === "parsed" && !needsMapping) ? (
        <PageLoader label="Checking rows" />
      ) : null}
      {state.phase === "validated" ? (
        <>
          <FileSummary
            file={state.file}
            onRemap={() => {
              setManual(true);
              csv.remap();
            }}
            onReset={csv.reset}
          />
          {createImport.isError ? (
            <ErrorMessage error={createImport.error} />
          ) : null}
          <PreviewStep
            key={uploadId}
            tenantId={tenantId}
            uploadId={uploadId}
            file={state.file}
            sending={createImport.isPending}
            onSend={(indexes, roles) => send(state.file, indexes, roles)}
          />
        </>
      ) : null}
    </Stack>
  );
}

function FileSummary({
  file,
  onRemap,
  onReset,
}: {
  file: ValidatedFile;
  onRemap: () => void;
  onReset: () => void;
}) {
  const { analysis, mapping } = file;
  const column = (i: number | undefined) =>
    i === undefined ? "—" : (analysis.header[i] ?? "—");
  return (
    <Paper p="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{file.fileName}</Text>
            <Badge variant="light">
              {SOURCE_LABELS[analysis.detection.source]}
            </Badge>
            <Text size="sm" c="dimmed">
              {file.rowCount} rows
            </Text>
          </Group>
          <Text size="sm">
            Email: <b>{column(mapping.email)}</b> · First name:{" "}
            <b>{column(mapping.givenName)}</b> · Last name:{" "}
            <b>{column(mapping.familyName)}</b>
            {mapping.fullName !== undefined ? (
              <>
                {" "}
                · Full name: <b>{column(mapping.fullName)}</b>
              </>
            ) : null}{" "}
            · Role:{" "}
            <b>
              {mapping.role === undefined
                ? "— (everyone a member)"
                : column(mapping.role)}
            </b>
          </Text>
          {analysis.notes.map((note) => (
            <Text key={note} size="xs" c="dimmed">
              {note}
            </Text>
          ))}
          <Text size="sm" c="dimmed">
            Checked in your browser: {file.summary.ready} ready,{" "}
            {file.summary.invalid} invalid, {file.summary.duplicate_in_file}{" "}
            duplicates.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={onRemap}>
            Change columns
          </Button>
          <Button variant="subtle" size="xs" onClick={onReset}>
            Choose another file
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
