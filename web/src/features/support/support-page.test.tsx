import type { SupportUserResult, TenantSummary } from "@app/bff/contract";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, test } from "vitest";
import { makeMe, makeMember, makeSeats } from "../../test/factories.ts";
import { renderWithProviders } from "../../test/render.tsx";
import { server, startMswServer } from "../../test/server.ts";
import { SupportPage } from "./support-page.tsx";

startMswServer();

const support = makeMe({
  user: { sub: "auth0|support", email: "support@exampleco.test", name: null },
  tenant: null,
  permissions: ["read:all_tenants", "resend:invitations", "manage:tenants"],
});

const grace: SupportUserResult = {
  userId: "auth0|grace",
  email: "grace@acme.test",
  name: "Grace Hopper",
  tenant: { id: "acme", name: "Acme Corp" },
  role: "member",
  auth0: {
    emailVerified: false,
    blocked: false,
    lastLogin: null,
    createdAt: null,
  },
  invitations: [
    {
      invitationId: "inv-1",
      tenantId: "acme",
      userId: "auth0|grace",
      state: "emailed",
      role: "member",
      invitedBy: "admin@acme.test",
      invitedAt: new Date().toISOString(),
      expiresAt: null,
      emailedAt: null,
      acceptedAt: null,
      revokedAt: null,
      failureReason: null,
    },
  ],
};

function tenantsApi() {
  let tenants: TenantSummary[] = [
    { id: "acme", name: "Acme Corp", seats: makeSeats({ limit: 50 }) },
    {
      id: "globex",
      name: "Globex",
      seats: makeSeats({ limit: 10, used: 2, pending: 1, free: 7 }),
    },
  ];
  server.use(
    http.get("http://localhost:3000/api/tenants", () =>
      HttpResponse.json({ items: tenants }),
    ),
    http.patch(
      "http://localhost:3000/api/tenants/:id",
      async ({ params, request }) => {
        const { seatLimit } = (await request.json()) as { seatLimit: number };
        tenants = tenants.map((t) =>
          t.id === params.id
            ? {
                ...t,
                seats: { ...t.seats, limit: seatLimit, free: seatLimit - 3 },
              }
            : t,
        );
        const t = tenants.find((x) => x.id === params.id);
        return HttpResponse.json({
          ...t,
          allowedDomains: [],
          invitationLifetimeDays: 7,
        });
      },
    ),
  );
}

describe("Support console", () => {
  test("finds a person by email and resends their invitation in their tenant", async () => {
    tenantsApi();
    let resent = "";
    server.use(
      http.get("http://localhost:3000/api/support/users", ({ request }) =>
        HttpResponse.json({
          items:
            new URL(request.url).searchParams.get("email") === "grace@acme.test"
              ? [grace]
              : [],
        }),
      ),
      http.post(
        "http://localhost:3000/api/tenants/:t/members/:u/resend",
        ({ params }) => {
          resent = `${String(params.t)}/${String(params.u)}`;
          return HttpResponse.json(
            {
              userId: "auth0|grace",
              email: "grace@acme.test",
              status: "queued",
            },
            { status: 202 },
          );
        },
      ),
    );
    renderWithProviders(<SupportPage />, { me: support });
    await userEvent.type(
      screen.getByLabelText("Email address"),
      " Grace@Acme.test ",
    );
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const card = await screen.findByRole("region", {
      name: "Person grace@acme.test",
    });
    expect(
      within(card).getByText(/Grace Hopper · Acme Corp/),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole("table", {
        name: "Invitation history of grace@acme.test",
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(card).getByRole("button", { name: "Resend invitation" }),
    );
    expect(
      await screen.findByText("Invitation resent to grace@acme.test"),
    ).toBeInTheDocument();
    expect(resent).toBe("acme/auth0|grace");
  });

  test("shows the person's role and changes it after confirmation", async () => {
    tenantsApi();
    let person = grace;
    const patched: unknown[] = [];
    server.use(
      http.get("http://localhost:3000/api/support/users", () =>
        HttpResponse.json({ items: [person] }),
      ),
      http.patch(
        "http://localhost:3000/api/tenants/:t/members/:u",
        async ({ params, request }) => {
          const { role } = (await request.json()) as { role: "admin" };
          patched.push(`${String(params.t)}/${String(params.u)}:${role}`);
          person = { ...person, role };
          return HttpResponse.json(
            makeMember({ userId: "auth0|grace", email: grace.email, role }),
          );
        },
      ),
    );
    renderWithProviders(<SupportPage />, { me: support });
    await userEvent.type(
      screen.getByLabelText("Email address"),
      "grace@acme.test",
    );
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const card = await screen.findByRole("region", {
      name: "Person grace@acme.test",
    });
    expect(within(card).getByText("Role in Acme Corp:")).toBeInTheDocument();
    await userEvent.click(
      within(card).getByRole("button", {
        name: "Make admin: grace@acme.test",
      }),
    );
    const dialog = await screen.findByRole("dialog", { name: "Make admin?" });
    expect(patched).toEqual([]);
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Make admin" }),
    );
    expect(
      await screen.findByText("grace@acme.test is now an admin of Acme Corp"),
    ).toBeInTheDocument();
    expect(patched).toEqual(["acme/auth0|grace:admin"]);
    expect(
      await within(card).findByRole("button", {
        name: "Make member: grace@acme.test",
      }),
    ).toBeInTheDocument();
  });

  test("sends a password link", async () => {
    tenantsApi();
    let path = "";
    server.use(
      http.get("http://localhost:3000/api/support/users", () =>
        HttpResponse.json({ items: [grace] }),
      ),
      http.post(
        "http://localhost:3000/api/support/users/:u/:kind",
        ({ request }) => {
          path = new URL(request.url).pathname;
          return HttpResponse.json(
            {
              userId: "auth0|grace",
              email: "grace@acme.test",
              kind: "password",
            },
            { status: 202 },
          );
        },
      ),
    );
    renderWithProviders(<SupportPage />, { me: support });
    await userEvent.type(
      screen.getByLabelText("Email address"),
      "grace@acme.test",
    );
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    await userEvent.click(
      await screen.findByRole("button", { name: "Send password link" }),
    );
    expect(
      await screen.findByText("Password link sent to grace@acme.test"),
    ).toBeInTheDocument();
    expect(path).toBe("/api/support/users/auth0%7Cgrace/password-link");
  });

  test("rejects a malformed email without asking the server", async () => {
    tenantsApi();
    renderWithProviders(<SupportPage />, { me: support });
    await userEvent.type(screen.getByLabelText("Email address"), "grace");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(
      await screen.findByText("Not a valid email address"),
    ).toBeInTheDocument();
  });

  test("lists tenants with seat usage and changes a seat limit", async () => {
    tenantsApi();
    renderWithProviders(<SupportPage />, { me: support });
    const table = await screen.findByRole("table", { name: "Tenants" });
    expect(
      within(table).getByText("2 members + 1 pending of 10"),
    ).toBeInTheDocument();
    await userEvent.click(
      within(table).getByRole("button", { name: "Change seats of Globex" }),
    );
    const dialog = await screen.findByRole("dialog", {
      name: "Seats of Globex",
    });
    const input = within(dialog).getByLabelText("Seat limit");
    await userEvent.clear(input);
    await userEvent.type(input, "12");
    await userEvent.click(
      within(dialog).getByRole("button", { name: "Save seats" }),
    );
    expect(
      await screen.findByText("Globex now has 12 seats"),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(table).getByText("2 members + 1 pending of 12"),
      ).toBeInTheDocument(),
    );
  });

  test("hides seat changes without manage:tenants", async () => {
    tenantsApi();
    renderWithProviders(<SupportPage />, {
      me: {
        ...support,
        permissions: ["read:all_tenants", "resend:invitations"],
      },
    });
    const table = await screen.findByRole("table", { name: "Tenants" });
    expect(
      within(table).queryByRole("button", { name: /Change seats/ }),
    ).toBeNull();
  });
});
