import type { ImportProgress, ImportInvitation } from "@app/bff/contract";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, onTestFinished, test } from "vitest";
import { renderWithProviders, TEST_TOKEN } from "../../test/render.tsx";
import { server, startMswServer } from "../../test/server.ts";
import { ImportProgressPage } from "./import-progress-page.tsx";

startMswServer();

const IMPORT_ID = "0b7e0c0e-8d4f-4a51-9a55-3c1c6c1f7a11";
const BASE = `http://localhost:3000/api/tenants/acme/imports/${IMPORT_ID}`;

function progress(
  counts: Partial<ImportProgress["counts"]>,
  done: boolean,
): ImportProgress {
  return {
    importId: IMPORT_ID,
    tenantId: "acme",
    createdAt: new Date().toISOString(),
    createdBy: "admin@acme.test",
    total: 3,
    counts: {
      queued: 0,
      importing: 0,
      created: 0,
      emailed: 0,
      verified: 0,
      accepted: 0,
      failed: 0,
      revoked: 0,
      expired: 0,
      ...counts,
    },
    done,
    waitingReason: done ? null : "Auth0 rate limit, retrying in 2 s",
  };
}

function row(
  n: number,
  state: ImportInvitation["state"],
  failureReason: string | null = null,
  sourceRow: number | null = null,
  role: ImportInvitation["role"] = "member",
): ImportInvitation {
  return {
    row: n,
    sourceRow,
    email: `p${n}@acme.test`,
    givenName: null,
    familyName: null,
    state,
    role,
    failureCode: failureReason ? "x" : null,
    failureReason,
    userId: `auth0|u${n}`,
  };
}

/** jsdom has no object URLs; stub them for one test and put back whatever was there. */
function stubStatic(
  name: "createObjectURL" | "revokeObjectURL",
  value: unknown,
): void {
  const before = Object.getOwnPropertyDescriptor(URL, name);
  Object.defineProperty(URL, name, {
    configurable: true,
    writable: true,
    value,
  });
  onTestFinished(() => {
    if (before) Object.defineProperty(URL, name, before);
    else Reflect.deleteProperty(URL, name);
  });
}

describe("import progress", () => {
  test("numbers rows as the file does (the preview's row numbers), not by position in the import", async () => {
    server.use(
      http.get(BASE, () =>
        HttpResponse.json(progress({ emailed: 1, failed: 1 }, true)),
      ),
      http.get(`${BASE}/rows`, () =>
        HttpResponse.json({
          rows: [
            row(1, "emailed", null, 7),
            row(2, "failed", "The user already exists", 12),
          ],
          nextCursor: null,
        }),
      ),
    );
    renderWithProviders(<ImportProgressPage />, {
      route: `/import/${IMPORT_ID}`,
      path: "/import/:importId",
    });
    const table = await screen.findByRole("table", { name: "Import rows" });
    await waitFor(() =>
      expect(within(table).getByText("p2@acme.test")).toBeInTheDocument(),
    );
    const cells = within(table)
      .getAllByRole("row")
      .slice(1)
      .map((r) => within(r).getAllByRole("cell")[0]?.textContent);
    expect(cells).toEqual(["7", "12"]);
  });

  test("polls until the import is done and shows each row's outcome", async () => {
    let polls = 0;
    server.use(
      http.get(BASE, () => {
        polls += 1;
        return HttpResponse.json(
          polls < 2
            ? progress({ queued: 3 }, false)
            : progress({ emailed: 2, failed: 1 }, true),
        );
      }),
      http.get(`${BASE}/rows`, () =>
        HttpResponse.json({
          rows:
            polls < 2
              ? [row(2, "queued"), row(3, "queued"), row(4, "queued")]
              : [
                  row(2, "emailed", null, null, "admin"),
                  row(3, "emailed"),
                  row(4, "failed", "The user already exists"),
                ],
          nextCursor: null,
        }),
      ),
    );
    renderWithProviders(<ImportProgressPage />, {
      route: `/import/${IMPORT_ID}`,
      path: "/import/:importId",
    });
    expect(await screen.findByText("Sending invitations…")).toBeInTheDocument();
    expect(
      screen.getByText("Auth0 rate limit, retrying in 2 s"),
    ).toBeInTheDocument();
    expect(
      await screen.findByText("Import finished", {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Import rows" });
    await waitFor(() =>
      expect(
        within(table).getByText("The user already exists"),
      ).toBeInTheDocument(),
    );
    const first = within(table).getByText("p2@acme.test").closest("tr");
    expect(within(first as HTMLElement).getByText("Admin")).toBeInTheDocument();
    const other = within(table).getByText("p3@acme.test").closest("tr");
    expect(
      within(other as HTMLElement).getByText("Member"),
    ).toBeInTheDocument();
    const settled = polls;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(polls).toBe(settled);
  });

  test("downloads the error report with the bearer token", async () => {
    let auth: string | null = null;
    let query = "";
    server.use(
      http.get(BASE, () =>
        HttpResponse.json(progress({ emailed: 2, failed: 1 }, true)),
      ),
      http.get(`${BASE}/rows`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get("format") === "csv") {
          auth = request.headers.get("authorization");
          query = url.search;
          return new HttpResponse("row,email,reason\n4,p4@acme.test,exists\n", {
            headers: { "content-type": "text/csv" },
          });
        }
        return HttpResponse.json({
          rows: [row(4, "failed", "exists")],
          nextCursor: null,
        });
      }),
    );
    const created: Blob[] = [];
    stubStatic("createObjectURL", (blob: Blob) => {
      created.push(blob);
      return "blob:report";
    });
    stubStatic("revokeObjectURL", () => undefined);
    renderWithProviders(<ImportProgressPage />, {
      route: `/import/${IMPORT_ID}`,
      path: "/import/:importId",
    });
    await userEvent.click(
      await screen.findByRole("button", { name: "Download error report" }),
    );
    await waitFor(() => expect(created).toHaveLength(1));
    expect(auth).toBe(`Bearer ${TEST_TOKEN}`);
    expect(query).toContain("failedOnly=true");
    expect(await created[0]?.text()).toContain("p4@acme.test");
  });
});
