// An invited person gets in: the admin uploads a list, the invitee gets the email, accepts on
// Guestlist's page, sets a password on Auth0's pages, reaches the sign-in of the product they were
// invited to (ExampleCo Analytics, played by the SPA) and sees "You're in Acme Corp"; the admin
// sees them accepted — from Auth0's record, on New Universal Login (the default) and on Classic.
import type { ImportPage } from "../pages/import-page.ts";
import type { MembersPage } from "../pages/members-page.ts";
import type { Person } from "../pages/person.ts";
import { findLink, type Mailbox } from "../support/mailbox.ts";
import { expect, test } from "../fixtures.ts";

/** The admin invites `invitee` with a one-line list; the answer is the link of their email. */
async function inviteByListAndGetLink(
  importPage: ImportPage,
  mailbox: Mailbox,
  invitee: string,
): Promise<string> {
  await importPage.open();
  await importPage.upload([
    "email,first_name,last_name",
    `${invitee},Ada,Lovelace`,
  ]);
  const send = importPage.sendButton(1);
  await expect(send).toBeEnabled(); // the preview picks the ready rows for the free seats
  await send.click();
  await expect(importPage.progressHeading).toBeVisible();
  await expect
    .poll(async () => (await mailbox.to(invitee)).length, {
      timeout: 60_000,
      message: "invitation email",
    })
    .toBe(1);
  const [mail] = await mailbox.to(invitee);
  // invited to the product, not to Guestlist
  expect(mail?.subject).toBe("Acme Corp invited you to ExampleCo Analytics");
  const link = mail && findLink(mail, /\/invitations\/[^/]+$/);
  expect(link, "invitation link in the email").toBeTruthy();
  return link ?? "";
}

async function adminSeesAccepted(membersPage: MembersPage, invitee: string) {
  await membersPage.open();
  await membersPage.find(invitee);
  // opening Members reconciles with Auth0's record at once
  await expect(membersPage.row(invitee)).toContainText(/active|accepted/i, {
    timeout: 20_000,
  });
}

async function signsInAndSeesTenant(
  invitee: Person,
  email: string,
  password: string,
) {
  await invitee.loginPage.signIn(email, password);
  await expect(invitee.shell.heading("You're in Acme Corp")).toBeVisible();
  await expect(invitee.shell.text(email)).toBeVisible();
}

test.describe("an invited person gets into the product", () => {
  test.use({ role: "acmeAdmin" });

  test("on New Universal Login (the default): upload → email → Accept → one Auth0 page → Back to ExampleCo Analytics → sign in → accepted", async ({
    mailbox,
    newVisitor,
    seriousA11yViolations,
    importPage,
    membersPage,
  }, testInfo) => {
    test.setTimeout(120_000);
    const email = `ada.${testInfo.testId}.${Date.now()}@acme.test`;
    const password = "a-new-passphrase-for-ada-42";

    const link = await inviteByListAndGetLink(importPage, mailbox, email);
    // After Send the members page shows the new invitation at once (no 15 s stale list).
    await membersPage.open();
    await membersPage.find(email);
    await expect(membersPage.row(email)).toBeVisible({ timeout: 5_000 });

    const ada = await newVisitor();
    const invitation = ada.invitationPage;
    await invitation.open(link);
    await expect(
      invitation.heading("Acme Corp invited you to ExampleCo Analytics"),
    ).toBeVisible();
    expect
      .soft(await seriousA11yViolations(ada.page), "invitation page")
      .toEqual([]);
    await invitation.acceptButton.click();
    // one ticket: straight to the password form, which also confirms the email address
    await expect(invitation.newPassword).toBeVisible();
    await invitation.setPassword(password);
    // Auth0 (New) does not redirect: one click on its button reaches the app's login route
    const back = invitation.backToApp("Back to ExampleCo Analytics");
    await expect(back).toHaveAttribute("href", "http://localhost:3100/login");
    await back.click();
    await signsInAndSeesTenant(ada, email, password);

    await adminSeesAccepted(membersPage, email);
  });

  test.describe(() => {
    test.use({ universalLogin: "classic" });

    test("on Classic Universal Login: upload → email → Accept → verify → password → the app's sign-in → accepted", async ({
      mailbox,
      newVisitor,
      importPage,
      membersPage,
    }, testInfo) => {
      test.setTimeout(120_000);
      const email = `grace.${testInfo.testId}.${Date.now()}@acme.test`;
      const password = "a-new-passphrase-for-grace-42";

      const link = await inviteByListAndGetLink(importPage, mailbox, email);

      const grace = await newVisitor();
      const invitation = grace.invitationPage;
      await invitation.open(link);
      await invitation.acceptButton.click();
      // verification ticket → Guestlist's /verified → password ticket: lands on the password form
      await expect(invitation.newPassword).toBeVisible();
      await invitation.setPassword(password);
      // Auth0 (Classic) redirects to /done, which asks Auth0 and sends the person to the app's login
      await expect(grace.loginPage.email).toBeVisible();
      await signsInAndSeesTenant(grace, email, password);

      await adminSeesAccepted(membersPage, email);
    });
  });
});
