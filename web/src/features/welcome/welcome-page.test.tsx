// A person without admin or support permissions who signs in (an invitee) sees "You're in <tenant>",
// not the marketing page and not an error; admins and support still go to their pages.
import { screen } from "@testing-library/react";
import { expect, test } from "vitest";
import { Home } from "../../app/layout.tsx";
import { makeMe } from "../../test/factories.ts";
import { renderWithProviders } from "../../test/render.tsx";

test("an invitee without permissions sees the organisation they are in", async () => {
  renderWithProviders(<Home />, {
    me: makeMe({
      user: { sub: "auth0|ada", email: "ada@acme.test", name: null },
      permissions: [],
    }),
  });
  expect(
    await screen.findByRole("heading", {
      level: 1,
      name: "You're in Acme Corp",
    }),
  ).toBeInTheDocument();
  expect(screen.getByText("ada@acme.test")).toBeInTheDocument();
  expect(screen.queryByText("Navigated away")).toBeNull();
});

test("an admin is sent to Members", async () => {
  const { router } = renderWithProviders(<Home />);
  expect(await screen.findByText("Navigated away")).toBeInTheDocument();
  expect(router.state.location.pathname).toBe("/members");
});
