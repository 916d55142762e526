// Manual column mapping when recognition is unsure. The choice is remembered per header set.
import {
  Alert,
  Button,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
} from "@mantine/core";
import { useState } from "react";
import type { ColumnMapping, Field } from "./detect-columns.ts";
import type { ParsedFile } from "./use-csv-worker.ts";

const LABELS: { field: Field; label: string; required?: boolean }[] = [
  { field: "email", label: "Email column", required: true },
  { field: "givenName", label: "First name column" },
  { field: "familyName", label: "Last name column" },
  { field: "fullName", label: "Full name column" },
  { field: "role", label: "Role column (admin or member)" },
];

type Props = {
  file: ParsedFile;
  initial: ColumnMapping;
  onConfirm: (mapping: ColumnMapping) => void;
  onCancel: () => void;
};

export function MappingForm({ file, initial, onConfirm, onCancel }: Props) {
  const { header, sample, detection } = file.analysis;
  const [mapping, setMapping] = useState<ColumnMapping>(initial);
  const options = header.map((h, i) => ({ value: String(i), label: h }));
  const set = (field: Field, value: string | null) => {
    const next = { ...mapping };
    if (value === null) delete next[field];
    else next[field] = Number(value);
    setMapping(next);
  };
  return (
    <Stack>
      {detection.doubts.length > 0 ? (
        <Alert color="yellow" title="Please check the columns">
          {detection.doubts.join(" ")}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {LABELS.map(({ field, label, required }) => (
          <Select
            key={field}
            label={label}
            required={required}
            placeholder={required ? "Choose a column" : "Not in this file"}
            data={options}
            value={mapping[field] === undefined ? null : String(mapping[field])}
            onChange={(v) => set(field, v)}
            clearable={!required}
          />
        ))}
      </SimpleGrid>
      <Text size="sm" fw={600}>
        First rows of {file.fileName}
      </Text>
      <Table.ScrollContainer minWidth={500}>
        <Table withTableBorder aria-label="First rows of the file">
          <Table.Thead>
            <Table.Tr>
              {header.map((h, i) => (
                <Table.Th key={i}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sample.map((row, r) => (
              <Table.Tr key={r}>
                {row.map((cell, c) => (
                  <Table.Td key={c}>{cell}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Choose another file
        </Button>
        <Button
          disabled={mapping.email === undefined}
          onClick={() => onConfirm(mapping)}
        >
          Use these columns
        </Button>
      </Group>
    </Stack>
  );
}
