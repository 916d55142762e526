import type { Member } from "@app/bff/contract";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { makeMember, makeSeats, makeTenant } from "../../test/factories.ts";
import { renderWithProviders, TEST_TOKEN } from "../../test/render.tsx";
import { server, startMswServer } from "../../test/server.ts";
import { MembersPage } from "./members-page.tsx";

startMswServer();

const API = "http://localhost:3000/api/tenants/acme";

/** A fake members endpoint over a mutable list, recording every request it sees. */
function membersApi(initial: Member[], pageSize = 50) {
  let members = [...initial];
  const seen: URL[] = [];
  server.use(
    http.get(API, () =>
      HttpResponse.json(
        makeTenant({
          seats: makeSeats({ limit: 50, used: 3, pending: 2, free: 45 }),
        }),
      ),
    ),
    http.get(`${API}/members`, ({ request }) => {
      const url = new URL(request.url);
      seen.push(url);
      if (request.headers.get("authorization") !== `Bearer ${TEST_TOKEN}`) {
        return HttpResponse.json(
          { statusCode: 401, code: "unauthorized", message: "No token" },
          { status: 401 },
        );
      }
      const q = url.searchParams.get("q") ?? "";
      const state = url.searchParams.get("state");
      const role = url.searchParams.get("role");
      const matching = members.filter(
        (m) =>
          m.email.includes(q) &&
          (state === null || m.state === state) &&
          (role === null || m.role === role),
      );
      const start = Number(url.searchParams.get("cursor") ?? 0);
      const items = matching.slice(start, start + pageSize);
      const nextCursor =
        start + pageSize < matching.length ? String(start + pageSize) : null;
      return HttpResponse.json({ items, nextCursor, syncedAt: null });
    }),
  );
  return {
    seen,
    remove: (userId: string) =>
      (members = members.filter((m) => m.userId !== userId)),
    setRole: (userId: string, role: Member["role"]) =>
      (members = members.map((m) =>
        m.userId === userId ? { ...m, role } : m,
      )),
  };
}

describe("Members page", () => {
  test("shows the seat meter and every member with their state, inviter and expiry", async () => {
    membersApi([
      makeMember({ email: "grace@acme.test", state: "emailed" }),
      makeMember({ email: "ada@acme.test", state: "active", expiresAt: null }),
      makeMember({
        email: "bad@acme.test",
        state: "failed",
        failureReason: "Auth0 rejected the address",
      }),
    ]);
    renderWithProviders(<MembersPage />);
    expect(
      await screen.findByRole("heading", { name: "Members" }),
    ).toBeInTheDocument();
    expect(await screen.findByText("45 of 50 free")).toBeInTheDocument();
    const table = await screen.findByRole("table", { name: "Members" });
    const grace = within(table).getByText("grace@acme.test").closest("tr");
    expect(grace).not.toBeNull();
    expect(
      within(grace as HTMLElement).getByText("invited"),
    ).toBeInTheDocument();
    expect(
      within(grace as HTMLElement).getByText("admin@acme.test"),
    ).toBeInTheDocument();
    expect(
      within(grace as HTMLElement).getByText(/in \d+ days/),
    ).toBeInTheDocument();
    const ada = within(table)
      .getByText("ada@acme.test")
      .closest("tr") as HTMLElement;
    expect(within(ada).getByText("accepted")).toBeInTheDocument();
    expect(within(ada).queryByRole("button", { name: /Resend/ })).toBeNull();
    expect(
      within(ada).getByRole("button", { name: "Remove ada@acme.test" }),
    ).toBeInTheDocument();
    expect(
      within(table).getByText("Auth0 rejected the address"),
    ).toBeInTheDocument();
  });

  test("loads the next page with the cursor when asked", async () => {
    const api = membersApi(
      Array.from({ length: 3 }, () => makeMember()),
      2,
    );
    renderWithProviders(<MembersPage />);
    const table = await screen.findByRole("table", { name: "Members" });
    await waitFor(() =>
      expect(within(table).getAllByRole("row")).toHaveLength(3),
    );
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() =>
      expect(within(table).getAllByRole("row")).toHaveLength(4),
    );
    expect(api.seen.at(-1)?.searchParams.get("cursor")).toBe("2");
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  test("searches by email and filters by state on the server", async () => {
    const api = membersApi([
      makeMember({ email: "grace@acme.test" }),
      makeMember({ email: "ada@acme.test" }),
    ]);
    renderWithProviders(<MembersPage />);
    await screen.findByText("grace@acme.test");
    await userEvent.type(screen.getByLabelText("Search members"), "ada");
    await waitFor(() =>
      expect(screen.queryByText("grace@acme.test")).toBeNull(),
    );
    expect(await screen.findByText("ada@acme.test")).toBeInTheDocument();
    expect(api.seen.at(-1)?.searchParams.get("q")).toBe("ada");
  });

  test("revokes an invitation only after confirmation and refreshes the list", async () => {
    const grace = makeMember({ email: "grace@acme.test" });
    const api = membersApi([grace, makeMember({ email: "ada@acme.test" })]);
    const deleted: string[] = [];
    server.use(
      http.delete(`${API}/members/:userId`, ({ params }) => {
        const userId = String(params.userId);
        deleted.push(userId);
        api.remove(userId);
        return HttpResponse.json({ userId, outcome: "revoked" });
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", { name: "Revoke grace@acme.test" }),
    );
    const dialog = await screen.findByRole("dialog", {
      name: "Revoke invitation?",
    });
    await waitFor(() =>
      expect(
        within(dialog).getByRole("button", { name: "Cancel" }),
      ).toHaveFocus(),
    );
    expect(deleted).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Revoke" }),
    );
    await waitFor(() =>
      expect(screen.queryByText("grace@acme.test")).toBeNull(),
    );
    expect(deleted).toEqual([grace.userId]);
  });

  test("resends one invitation and says so", async () => {
    const grace = makeMember({ email: "grace@acme.test" });
    membersApi([grace]);
    let resent = "";
    server.use(
      http.post(`${API}/members/:userId/resend`, ({ params }) => {
        resent = String(params.userId);
        return HttpResponse.json(
          { userId: resent, email: "grace@acme.test", status: "queued" },
          { status: 202 },
        );
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", {
        name: "Resend invitation to grace@acme.test",
      }),
    );
    expect(
      await screen.findByText("Invitation resent to grace@acme.test"),
    ).toBeInTheDocument();
    expect(resent).toBe(grace.userId);
  });

  test("bulk resend sends the chosen state and age", async () => {
    membersApi([makeMember()]);
    let body: unknown = null;
    server.use(
      http.post(`${API}/invitations/resend`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({ count: 4 }, { status: 202 });
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", { name: "Resend invitations…" }),
    );
    const dialog = await screen.findByRole("dialog", {
      name: "Resend invitations",
    });
    const days = within(dialog).getByLabelText("Invited more than (days ago)");
    await userEvent.clear(days);
    await userEvent.type(days, "14");
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Resend invitations" }),
    );
    expect(
      await screen.findByText("4 invitations will be resent"),
    ).toBeInTheDocument();
    expect(body).toEqual({ state: "emailed", olderThanDays: 14 });
  });

  test("validates the invite form with the shared schema before sending", async () => {
    membersApi([]);
    const sent: unknown[] = [];
    server.use(
      http.post(`${API}/members`, async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json(
          { importId: crypto.randomUUID(), userId: "auth0|new" },
          { status: 202 },
        );
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", { name: "Invite one person" }),
    );
    const dialog = await screen.findByRole("dialog", {
      name: "Invite one person",
    });
    await userEvent.type(
      within(dialog).getByLabelText(/Email/),
      "not-an-email",
    );
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Send invitation" }),
    );
    expect(
      await within(dialog).findByText("Not a valid email address"),
    ).toBeInTheDocument();
    expect(sent).toEqual([]);
    await userEvent.clear(within(dialog).getByLabelText(/Email/));
    await userEvent.type(
      within(dialog).getByLabelText(/Email/),
      "  Linus@Acme.test ",
    );
    await userEvent.type(within(dialog).getByLabelText("First name"), "Linus");
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Send invitation" }),
    );
    expect(
      await screen.findByText("Invitation sent to linus@acme.test"),
    ).toBeInTheDocument();
    expect(sent).toEqual([
      { email: "linus@acme.test", givenName: "Linus", role: "member" },
    ]);
  });

  test("invites a co-admin with the role field", async () => {
    membersApi([]);
    const sent: unknown[] = [];
    server.use(
      http.post(`${API}/members`, async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json(
          { importId: crypto.randomUUID(), userId: "auth0|new" },
          { status: 202 },
        );
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", { name: "Invite one person" }),
    );
    const dialog = await screen.findByRole("dialog", {
      name: "Invite one person",
    });
    const role = within(dialog).getByRole("combobox", { name: /Role/ });
    expect(role).toHaveValue("member");
    await userEvent.type(
      within(dialog).getByLabelText(/Email/),
      "grace@acme.test",
    );
    await userEvent.selectOptions(role, "admin");
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Send invitation" }),
    );
    expect(
      await screen.findByText("Invitation sent to grace@acme.test"),
    ).toBeInTheDocument();
    expect(sent).toEqual([{ email: "grace@acme.test", role: "admin" }]);
  });

  test("shows each person's role and filters by role on the server", async () => {
    const api = membersApi([
      makeMember({ email: "grace@acme.test", role: "admin", state: "active" }),
      makeMember({ email: "ada@acme.test", role: "member" }),
    ]);
    renderWithProviders(<MembersPage />);
    const table = await screen.findByRole("table", { name: "Members" });
    const grace = within(table)
      .getByText("grace@acme.test")
      .closest("tr") as HTMLElement;
    expect(within(grace).getByText("Admin")).toBeInTheDocument();
    const ada = within(table)
      .getByText("ada@acme.test")
      .closest("tr") as HTMLElement;
    expect(within(ada).getByText("Member")).toBeInTheDocument();
    // by keyboard: open the list, move to "Admin", choose it
    await userEvent.click(screen.getByRole("textbox", { name: "Role" }));
    await userEvent.keyboard("{ArrowDown}{ArrowDown}{Enter}");
    await waitFor(() =>
      expect(api.seen.at(-1)?.searchParams.get("role")).toBe("admin"),
    );
  });

  test("promotes a member to admin only after confirmation and shows the new role", async () => {
    const ada = makeMember({ email: "ada@acme.test", state: "active" });
    const api = membersApi([ada]);
    const patched: unknown[] = [];
    server.use(
      http.patch(`${API}/members/:userId`, async ({ request, params }) => {
        const body = (await request.json()) as { role: "admin" | "member" };
        patched.push({ userId: params.userId, ...body });
        api.setRole(String(params.userId), body.role);
        return HttpResponse.json({ ...ada, role: body.role });
      }),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", {
        name: "Make admin: ada@acme.test",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Make admin?" });
    expect(dialog).toHaveTextContent(/invite, resend and remove people/);
    expect(patched).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Make admin" }),
    );
    expect(
      await screen.findByText("ada@acme.test is now an admin"),
    ).toBeInTheDocument();
    expect(patched).toEqual([{ userId: ada.userId, role: "admin" }]);
    expect(
      await screen.findByRole("button", {
        name: "Make member: ada@acme.test",
      }),
    ).toBeInTheDocument();
  });

  test("explains that the last admin cannot become a member", async () => {
    membersApi([
      makeMember({ email: "admin@acme.test", role: "admin", state: "active" }),
    ]);
    server.use(
      http.patch(`${API}/members/:userId`, () =>
        HttpResponse.json(
          {
            statusCode: 409,
            code: "conflict",
            message:
              "admin@acme.test is the last admin of this tenant; make someone else an admin first",
            details: { reason: "last_admin" },
          },
          { status: 409 },
        ),
      ),
    );
    renderWithProviders(<MembersPage />);
    await userEvent.click(
      await screen.findByRole("button", {
        name: "Make member: admin@acme.test",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Make member?" });
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Make member" }),
    );
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Acme Corp needs at least one admin");
    expect(alert).toHaveTextContent(/last admin of this tenant/);
  });

  test("explains an error from its code", async () => {
    server.use(
      http.get(API, () => HttpResponse.json(makeTenant())),
      http.get(`${API}/members`, () =>
        HttpResponse.json(
          {
            statusCode: 403,
            code: "forbidden",
            message: "Missing read:members",
          },
          { status: 403 },
        ),
      ),
    );
    renderWithProviders(<MembersPage />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("You don't have access to this");
    expect(alert).toHaveTextContent("Missing read:members");
  });
});
