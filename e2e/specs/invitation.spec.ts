// Issue 5 journey: an admin uploads a list, the invitee gets the email, accepts, verifies, sets a
// password and signs in, and the admin sees the invitation accepted.
import { AppShell } from "../pages/app-shell.ts";
import { InvitationPage } from "../pages/invitation-page.ts";
import { LoginPage } from "../pages/login-page.ts";
import { findLink } from "../support/mailbox.ts";
import { expect, SEED, test } from "../fixtures.ts";

test("an invitee goes from the admin's upload to signing in, and the admin sees them accepted", async ({
  browser,
  emulator,
  mailbox,
  signIn,
  seriousA11yViolations,
  importPage,
  membersPage,
}, testInfo) => {
  test.setTimeout(120_000);
  await emulator.reset();
  const invitee = `ada.${testInfo.testId}.${Date.now()}@acme.test`;
  const password = "a-new-passphrase-for-ada-42";

  await signIn(SEED.acmeAdmin);
  await importPage.open();
  await importPage.upload([
    "email,first_name,last_name",
    `${invitee},Ada,Lovelace`,
  ]);
  const send = importPage.sendButton(1);
  await expect(send).toBeEnabled(); // the preview picks the ready rows for the free seats

  await send.click();
  await expect(importPage.progressHeading).toBeVisible();

  // The invitation email arrives in the SMTP catcher, with a link to the BFF.
  await expect
    .poll(async () => (await mailbox.to(invitee)).length, {
      timeout: 60_000,
      message: "invitation email",
    })
    .toBe(1);
  const [mail] = await mailbox.to(invitee);
  expect(mail?.subject).toMatch(/Acme/);
  const link = mail && findLink(mail, /\/invitations\/[^/]+$/);
  expect(link, "invitation link in the email").toBeTruthy();

  // The invitee, in a browser of their own.
  const context = await browser.newContext();
  const page = await context.newPage();
  const invitation = new InvitationPage(page);
  await page.goto(link ?? "");
  await expect(invitation.heading(/Acme Corp invited you/)).toBeVisible();
  expect.soft(await seriousA11yViolations(page), "invitation page").toEqual([]);
  await invitation.acceptButton.click();
  await expect(invitation.newPassword).toBeVisible(); // email verified on the way, then the password page
  await invitation.setPassword(password);

  const shell = new AppShell(page);
  await expect(shell.signInButton).toBeVisible();
  await shell.signIn();
  await new LoginPage(page).signIn(invitee, password);
  await expect(shell.text(/Acme Corp/)).toBeVisible();
  await expect(shell.text(invitee)).toBeVisible();
  await context.close();

  // Back with the admin: the invitation is accepted.
  await membersPage.open();
  await membersPage.search.fill(invitee);
  await expect(membersPage.row(invitee)).toContainText(/accepted/i);
});
