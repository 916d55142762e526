// Drop or pick a file. The native input (labelled "CSV file") is what keyboards and tests use; the
// dropzone around it takes drag and drop.
import {
  Anchor,
  Button,
  Code,
  Group,
  List,
  Paper,
  Stack,
  Text,
} from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import type { CSSProperties } from "react";
import { saveBlob } from "../../lib/download.ts";
import { TEMPLATE_CSV, TEMPLATE_FILE_NAME } from "./template.ts";

const hiddenInput: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0, 0, 0, 0)",
  whiteSpace: "nowrap",
  border: 0,
};

export function FilePicker({ onFile }: { onFile: (file: File) => void }) {
  const downloadTemplate = () =>
    saveBlob(
      new Blob([TEMPLATE_CSV], { type: "text/csv;charset=utf-8" }),
      TEMPLATE_FILE_NAME,
    );
  return (
    <Stack>
      <Dropzone
        onDrop={(files) => {
          const first = files[0];
          if (first) onFile(first);
        }}
        // The labelled file input below is the keyboard and click path; the zone only takes drops.
        activateOnClick={false}
        activateOnKeyboard={false}
        multiple={false}
        // Accept anything: a rejected .xlsx gets a clear message instead of silence.
        accept={undefined}
        inputProps={{ "aria-label": "Dropped file" }}
      >
        <Stack align="center" gap="xs" py="xl">
          <Text size="lg" fw={600}>
            Drop your people list here
          </Text>
          <Text c="dimmed" size="sm" ta="center">
            CSV, TSV or TXT exported from Google Workspace, Microsoft Entra,
            Okta, Auth0 or your HR system. Excel files: save as CSV first.
          </Text>
          <input
            id="csv-file"
            type="file"
            aria-label="CSV file"
            accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
            style={hiddenInput}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) onFile(file);
              e.currentTarget.value = "";
            }}
          />
          <Button component="label" htmlFor="csv-file" variant="light" mt="sm">
            Choose a file
          </Button>
        </Stack>
      </Dropzone>
      <Paper p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4} maw={640}>
            <Text fw={600}>What the file needs</Text>
            <List size="sm" spacing={2}>
              <List.Item>
                One person per row and a column with their email address (
                <Code>email</Code>, <Code>Work Email</Code>,{" "}
                <Code>Primary email</Code>,{" "}
                <Code>User name [userPrincipalName]</Code>… are all recognised).
              </List.Item>
              <List.Item>
                Optional: first and last name (<Code>first_name</Code>,{" "}
                <Code>Given Name</Code>, <Code>Surname</Code>…), or one
                full-name column.
              </List.Item>
              <List.Item>
                Optional: a role column (<Code>role</Code>, <Code>access</Code>,{" "}
                <Code>permission level</Code>): <Code>admin</Code> makes someone
                a co-admin who can invite and remove people; <Code>member</Code>{" "}
                or blank is everyone else. You can change each person's role in
                the preview.
              </List.Item>
              <List.Item>
                Up to 100,000 rows and 50 MB. Title rows, blank lines and
                Excel's semicolons are fine.
              </List.Item>
            </List>
            <Text size="sm" c="dimmed">
              Example: <Code>ada.lovelace@example.com,Ada,Lovelace</Code>
            </Text>
          </Stack>
          <Anchor component="button" type="button" onClick={downloadTemplate}>
            Download template CSV
          </Anchor>
        </Group>
      </Paper>
    </Stack>
  );
}
