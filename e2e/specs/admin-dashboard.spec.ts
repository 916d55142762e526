// A customer admin invites their team: upload → preview → choose who takes the seats → invite →
// progress → resend → revoke, with an accessibility check on every page on the way.
import { expect, test } from "../fixtures.ts";

test.describe("a customer admin invites their team", () => {
  test.use({ role: "globexAdmin" }); // Globex has 10 seats

  test("previews a list, chooses who takes the seats, invites, resends and revokes", async ({
    mailbox,
    importPage,
    membersPage,
    seriousA11yViolations,
    readmeScreenshot,
  }) => {
    test.setTimeout(150_000);
    const run = Date.now().toString(36);
    const person = (i: number) => `person${i}.${run}@globex.test`;
    const ready = Array.from(
      { length: 11 },
      (_, i) => `${person(i)},Given${i},Family${i}`,
    );

    await importPage.open();
    await expect(importPage.heading).toBeVisible();
    expect.soft(await seriousA11yViolations(), "import page").toEqual([]);

    await importPage.upload([
      "email,first_name,last_name",
      ...ready,
      "not-an-email,Bad,Row",
      `${person(0)},Dup,Licate`,
      `someone.${run}@elsewhere.test,Wrong,Domain`,
    ]);
    await expect(
      importPage.text(
        /^11 people can be invited, but only \d+ seats are free$/,
      ),
    ).toBeVisible();
    await expect(importPage.verdicts).toContainText("Duplicate in file (1)");
    await expect(importPage.verdicts).toContainText("Domain not allowed (1)");
    await expect(importPage.verdicts).toContainText("Invalid (1)");
    expect.soft(await seriousA11yViolations(), "preview").toEqual([]);
    await readmeScreenshot("import-preview");

    // Choose two people by hand instead of the first ten.
    await importPage.clearSelection();
    await importPage.choose(person(1));
    await importPage.choose(person(2));
    await expect(importPage.text(/^2 of \d+ free seats chosen$/)).toBeVisible();
    await importPage.sendButton(2).click();

    await expect(importPage.progressHeading).toBeVisible();
    for (const email of [person(1), person(2)]) {
      await expect
        .poll(async () => (await mailbox.to(email)).length, {
          timeout: 60_000,
          message: email,
        })
        .toBe(1);
    }
    expect(await mailbox.to(person(0)), "not chosen, not invited").toHaveLength(
      0,
    );
    expect.soft(await seriousA11yViolations(), "import progress").toEqual([]);

    await membersPage.open();
    await expect(membersPage.row(person(1))).toContainText("invited");
    // Seats: the two invitations hold a seat each (members count once Auth0 is mirrored).
    await expect(membersPage.seats).toContainText("2 invitations pending");
    expect.soft(await seriousA11yViolations(), "members page").toEqual([]);
    await readmeScreenshot("members");

    await membersPage.resendInvitation(person(1));
    await expect(
      membersPage.text(`Invitation resent to ${person(1)}`),
    ).toBeVisible();
    await expect
      .poll(async () => (await mailbox.to(person(1))).length, {
        timeout: 30_000,
      })
      .toBe(2);

    const revoke = await membersPage.revoke(person(2));
    await expect(revoke.root).toBeVisible();
    expect.soft(await seriousA11yViolations(), "revoke dialog").toEqual([]);
    await revoke.confirm("Revoke");
    await expect(revoke.root).toBeHidden();
    await expect(membersPage.row(person(2))).toContainText("revoked");
    await expect(membersPage.seats).toContainText("1 invitations pending"); // the seat is free again
  });
});
