// ExampleCo support helps customers: finds a person across tenants, sends them a password link,
// and changes a tenant's seat limit.
import { expect, SEED, test } from "../fixtures.ts";

test.describe("ExampleCo support helps a customer", () => {
  test.use({ role: "support" });

  test("finds a person in any tenant, sends a password link and changes a tenant's seats", async ({
    mailbox,
    supportPage,
    seriousA11yViolations,
  }) => {
    await supportPage.open();
    await expect(supportPage.heading).toBeVisible();
    await expect(supportPage.tenantRow("Acme Corp")).toBeVisible();
    await expect(supportPage.tenantRow("Globex")).toBeVisible();
    expect.soft(await seriousA11yViolations(), "support page").toEqual([]);

    await supportPage.find(SEED.globexAdmin);
    const card = supportPage.person(SEED.globexAdmin);
    await expect(card).toBeVisible();
    await expect(card).toContainText("Globex");
    await supportPage.sendPasswordLink(SEED.globexAdmin);
    await expect(
      supportPage.text(`Password link sent to ${SEED.globexAdmin}`),
    ).toBeVisible();
    await expect
      .poll(async () => (await mailbox.to(SEED.globexAdmin)).length, {
        timeout: 30_000,
      })
      .toBe(1);

    await supportPage.changeSeats("Acme Corp", 60);
    await expect(supportPage.tenantRow("Acme Corp")).toContainText("of 60");
  });
});
