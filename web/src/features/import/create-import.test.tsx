// After Send, the members list and the seat meter must not show the old numbers for up to 15 s:
// the import mutation invalidates the tenant's members key (list + seats) and support's tables.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, test } from "vitest";
import { renderWithProviders } from "../../test/render.tsx";
import { server, startMswServer } from "../../test/server.ts";
import { useCreateImport } from "./api.ts";

startMswServer();

function SendButton() {
  const create = useCreateImport("acme");
  return (
    <button
      type="button"
      onClick={() =>
        create.mutate({
          rows: [{ email: "new@acme.test" }],
          sourceRows: [5],
          idempotencyKey: "upload-key-1234",
        })
      }
    >
      {create.isSuccess ? "Sent" : "Send"}
    </button>
  );
}

test("Send invalidates the members list, the seat meter and support's tenants, and sends the file's row numbers", async () => {
  let body: unknown;
  server.use(
    http.post(
      "http://localhost:3000/api/tenants/acme/imports",
      async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { importId: "0b7e0c0e-8d4f-4a51-9a55-3c1c6c1f7a11" },
          { status: 202 },
        );
      },
    ),
  );
  const { queryClient } = renderWithProviders(<SendButton />);
  const keys = [
    ["members", "acme", "tenant"],
    ["members", "acme", "list", {}],
    ["support", "tenants"],
  ];
  for (const key of keys) queryClient.setQueryData(key, { cached: true });
  for (const key of keys)
    expect(queryClient.getQueryState(key)?.isInvalidated).toBe(false);

  await userEvent.click(screen.getByRole("button", { name: "Send" }));
  await screen.findByRole("button", { name: "Sent" });
  await waitFor(() => {
    for (const key of keys)
      expect(
        queryClient.getQueryState(key)?.isInvalidated,
        JSON.stringify(key),
      ).toBe(true);
  });
  expect(body).toEqual({ rows: [{ email: "new@acme.test" }], sourceRows: [5] });
});
