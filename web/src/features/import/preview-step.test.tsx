import {
  PreviewColumns,
  PreviewResult,
  verdictsOf,
  type UncheckedPersonRow,
  type RowVerdict,
  type VerdictGroup,
} from "@app/bff/contract";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, test, vi } from "vitest";
import { makeSeats } from "../../test/factories.ts";
import { renderWithProviders } from "../../test/render.tsx";
import { server, startMswServer } from "../../test/server.ts";
import { parseCsvText } from "./parse-csv-text.ts";
import { PreviewStep } from "./preview-step.tsx";
import { PreviewTable, type PreviewRow } from "./preview-table.tsx";
import type { ValidatedFile } from "./use-csv-worker.ts";
import { rowsOfColumns } from "./fixtures.ts";
import { previewBody, RowChecks } from "./row-checks.ts";

startMswServer();

function validatedFile(csv: string): ValidatedFile {
  const analysis = parseCsvText(csv);
  const { checks, summary } = RowChecks.of(
    analysis.rows,
    analysis.rowNumbers,
    analysis.detection.mapping,
  );
  const { rows: _rows, ...rest } = analysis;
  return {
    fileName: "people.csv",
    analysis: rest,
    rowCount: analysis.rows.length,
    mapping: analysis.detection.mapping,
    checks,
    summary,
    previewBody: Promise.resolve(previewBody(checks.columns)),
  };
}

/** A preview route that marks known addresses as members and rows past `free` as over the limit. */
function previewApi(free: number, members: string[] = []) {
  const received: UncheckedPersonRow[][] = [];
  server.use(
    http.post(
      "http://localhost:3000/api/tenants/acme/invitations/preview",
      async ({ request }) => {
        const body = PreviewColumns.parse(await request.json());
        const rows = rowsOfColumns(body);
        received.push(rows);
        let taken = 0;
        const verdicts: RowVerdict[] = rows.map((r, i) => {
          const email = r.email ?? "";
          if (!email.includes("@"))
            return {
              row: i + 1,
              verdict: "invalid",
              field: "email",
              reason: "Not a valid email address",
            };
          if (members.includes(email))
            return {
              row: i + 1,
              verdict: "already_member",
              reason: "Already a member of Acme Corp",
            };
          taken += 1;
          return taken <= free
            ? { row: i + 1, verdict: "ready" }
            : {
                row: i + 1,
                verdict: "over_seat_limit",
                reason: "No seat left for this person",
              };
        });
        const counts = Object.fromEntries(
          [
            "ready",
            "invalid",
            "duplicate_in_file",
            "already_member",
            "already_invited",
            "existing_account",
            "domain_not_allowed",
            "over_seat_limit",
          ].map((v) => [v, verdicts.filter((x) => x.verdict === v).length]),
        ) as PreviewResult["counts"];
        const result: PreviewResult = {
          total: rows.length,
          groups: groupsOf(verdicts),
          counts,
          seats: makeSeats({ limit: 10, used: 10 - free, pending: 0, free }),
        };
        // The mock answers what the contract allows, and what it means row by row.
        expect(verdictsOf(PreviewResult.parse(result))).toEqual(verdicts);
        return HttpResponse.json(result);
      },
    ),
  );
  return received;
}

/** The BFF's compact answer: rows with the same verdict and reason, as ranges. */
function groupsOf(verdicts: readonly RowVerdict[]): VerdictGroup[] {
  const groups = new Map<string, VerdictGroup>();
  for (const v of verdicts) {
    if (v.verdict === "ready") continue;
    const key = `${v.verdict}|${v.field ?? ""}|${v.reason ?? ""}`;
    const group = groups.get(key);
    const last = group?.rows.at(-1);
    if (last && last[1] === v.row - 1) last[1] = v.row;
    else if (group) group.rows.push([v.row, v.row]);
    else
      groups.set(key, {
        verdict: v.verdict,
        ...(v.field === undefined ? {} : { field: v.field }),
        reason: v.reason ?? "",
        rows: [[v.row, v.row]],
      });
  }
  return [...groups.values()];
}

const CSV = [
  "email,first_name,last_name",
  "ada@acme.test,Ada,Lovelace",
  "grace@acme.test,Grace,Hopper",
  "alan@acme.test,Alan,Turing",
  "broken-address,Bad,Row",
  "member@acme.test,Already,There",
  "ada@acme.test,Ada,Twice",
].join("\n");

describe("import preview", () => {
  test("shows every row's verdict with counts, and sends all rows to the dry run", async () => {
    const received = previewApi(5, ["member@acme.test"]);
    renderWithProviders(
      <PreviewStep
        tenantId="acme"
        uploadId="u1"
        file={validatedFile(CSV)}
        sending={false}
        onSend={vi.fn()}
      />,
    );
    const table = await screen.findByRole("table", { name: "Preview rows" });
    expect(received[0]).toHaveLength(6);
    expect(within(table).getAllByRole("row")).toHaveLength(7);
    expect(screen.getByText("All (6)")).toBeInTheDocument();
    expect(screen.getByText("Ready (3)")).toBeInTheDocument();
    expect(screen.getByText("Invalid (1)")).toBeInTheDocument();
    expect(screen.getByText("Already a member (1)")).toBeInTheDocument();
    expect(screen.getByText("Duplicate in file (1)")).toBeInTheDocument();
    expect(within(table).getByText("Same email as row 2")).toBeInTheDocument();
    expect(
      screen.getByRole("button", { name: "Send 3 invitations" }),
    ).toBeEnabled();
  });

  test("filters rows by verdict", async () => {
    previewApi(5, ["member@acme.test"]);
    renderWithProviders(
      <PreviewStep
        tenantId="acme"
        uploadId="u2"
        file={validatedFile(CSV)}
        sending={false}
        onSend={vi.fn()}
      />,
    );
    const table = await screen.findByRole("table", { name: "Preview rows" });
    await userEvent.click(screen.getByText("Invalid (1)"));
    await waitFor(() =>
      expect(within(table).getAllByRole("row")).toHaveLength(2),
    );
    expect(within(table).getByText("broken-address")).toBeInTheDocument();
  });

  test("lets the admin choose who takes the seats when rows exceed free seats", async () => {
    previewApi(2);
    const onSend = vi.fn();
    renderWithProviders(
      <PreviewStep
        tenantId="acme"
        uploadId="u3"
        file={validatedFile(CSV)}
        sending={false}
        onSend={onSend}
      />,
    );
    expect(
      await screen.findByText(/only 2 seats are free/),
    ).toBeInTheDocument();
    const ada = screen.getByRole("checkbox", { name: "Invite ada@acme.test" });
    const alan = screen.getByRole("checkbox", {
      name: "Invite alan@acme.test",
    });
    expect(ada).toBeChecked();
    expect(alan).not.toBeChecked();
    expect(alan).toBeDisabled();
    await userEvent.click(ada);
    expect(
      screen.getByRole("button", { name: "Send 1 invitation" }),
    ).toBeInTheDocument();
    await userEvent.click(alan);
    await userEvent.click(
      screen.getByRole("button", { name: "Send 2 invitations" }),
    );
    // grace (index 1) and alan (index 2); ada was given up for alan
    expect(onSend).toHaveBeenCalledWith([1, 2], new Map());
    await userEvent.click(
      screen.getByRole("button", { name: "Select first 2" }),
    );
    expect(
      screen.getByRole("checkbox", { name: "Invite ada@acme.test" }),
    ).toBeChecked();
  });

  test("shows each row's role from the file and lets the admin change it before sending", async () => {
    const received = previewApi(5);
    const onSend = vi.fn();
    renderWithProviders(
      <PreviewStep
        tenantId="acme"
        uploadId="u5"
        file={validatedFile(
          [
            "email,first_name,access",
            "ada@acme.test,Ada,Administrator",
            "grace@acme.test,Grace,",
            "alan@acme.test,Alan,user",
            "linus@acme.test,Linus,Superhero",
          ].join("\n"),
        )}
        sending={false}
        onSend={onSend}
      />,
    );
    const table = await screen.findByRole("table", { name: "Preview rows" });
    // synonyms are normalised before the dry run; an unknown role is sent as written
    expect(received[0]?.map((r) => r.role)).toEqual([
      "admin",
      undefined,
      "member",
      "Superhero",
    ]);
    const ada = screen.getByRole("combobox", { name: "Role of ada@acme.test" });
    const grace = screen.getByRole("combobox", {
      name: "Role of grace@acme.test",
    });
    expect(ada).toHaveValue("admin");
    expect(grace).toHaveValue("member");
    const linus = within(table)
      .getByText("linus@acme.test")
      .closest('[role="row"]') as HTMLElement;
    expect(within(linus).getByText("Superhero")).toBeInTheDocument();
    expect(
      within(linus).getByText('Role must be "member" or "admin"'),
    ).toBeInTheDocument();
    expect(within(linus).queryByRole("combobox")).toBeNull();
    expect(screen.getByText(/1 as admin/)).toBeInTheDocument();

    await userEvent.selectOptions(grace, "admin");
    await userEvent.selectOptions(ada, "member");
    expect(screen.getByText(/1 as admin/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole("button", { name: "Send 3 invitations" }),
    );
    expect(onSend).toHaveBeenCalledWith(
      [0, 1, 2],
      new Map([
        [1, "admin"],
        [0, "member"],
      ]),
    );
  });

  test("explains a failed dry run from the error code and offers a retry", async () => {
    server.use(
      http.post(
        "http://localhost:3000/api/tenants/acme/invitations/preview",
        () =>
          HttpResponse.json(
            { statusCode: 429, code: "rate_limited", message: "Slow down" },
            { status: 429 },
          ),
      ),
    );
    renderWithProviders(
      <PreviewStep
        tenantId="acme"
        uploadId="u4"
        file={validatedFile(CSV)}
        sending={false}
        onSend={vi.fn()}
      />,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("Auth0 is busy");
    expect(
      screen.getByRole("button", { name: "Try the preview again" }),
    ).toBeInTheDocument();
  });
});

describe("preview table", () => {
  test("renders only the visible part of a 100,000-row file", () => {
    const rows: PreviewRow[] = Array.from({ length: 100_000 }, (_, i) => ({
      index: i,
      row: i + 2,
      email: `p${i}@acme.test`,
      name: "",
      role: "member",
      verdict: "ready",
    }));
    renderWithProviders(
      <PreviewTable
        rows={rows}
        selected={new Set()}
        selectable={() => true}
        full={false}
        onToggle={vi.fn()}
        roles={new Map()}
        onRoleChange={vi.fn()}
      />,
    );
    const table = screen.getByRole("table", { name: "Preview rows" });
    const rendered = within(table).getAllByRole("row").length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(table).toHaveAttribute("aria-rowcount", "100001");
  });
});
