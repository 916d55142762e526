// Issue 5 + 10 journeys: an admin uploads a list, the invitee gets the email, accepts on Guestlist's
// page, sets a password on Auth0's pages, reaches the sign-in of the product they were invited to
// (ExampleCo Analytics, played by the SPA) and sees "You're in Acme Corp"; the admin sees them
// accepted — from Auth0's record, on New Universal Login (the default) and on Classic.
import type { Browser, Page } from "@playwright/test";
import { AppShell } from "../pages/app-shell.ts";
import type { ImportPage } from "../pages/import-page.ts";
import { InvitationPage } from "../pages/invitation-page.ts";
import { LoginPage } from "../pages/login-page.ts";
import type { MembersPage } from "../pages/members-page.ts";
import { findLink, type Mailbox } from "../support/mailbox.ts";
import { expect, SEED, test } from "../fixtures.ts";

async function uploadAndGetLink(
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
  await membersPage.search.fill(invitee);
  // opening Members reconciles with Auth0's record at once
  await expect(membersPage.row(invitee)).toContainText(/active|accepted/i, {
    timeout: 20_000,
  });
}

async function signInAsInviteeAndSeeTenant(
  page: Page,
  invitee: string,
  password: string,
) {
  await new LoginPage(page).signIn(invitee, password);
  const shell = new AppShell(page);
  await expect(
    page.getByRole("heading", { level: 1, name: "You're in Acme Corp" }),
  ).toBeVisible();
  await expect(shell.text(invitee)).toBeVisible();
}

async function inviteeBrowser(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test.describe("the invitee's journey", () => {
  test.afterEach(async ({ emulator }) => {
    await emulator.setUniversalLoginExperience("new");
  });

  test("New Universal Login (default): upload → email → Accept → one Auth0 page → Back to ExampleCo Analytics → sign in → accepted", async ({
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
    const link = await uploadAndGetLink(importPage, mailbox, invitee);
    // After Send the members page shows the new invitation at once (no 15 s stale list).
    await membersPage.open();
    await membersPage.search.fill(invitee);
    await expect(membersPage.row(invitee)).toBeVisible({ timeout: 5_000 });

    const { context, page } = await inviteeBrowser(browser);
    const invitation = new InvitationPage(page);
    await page.goto(link);
    await expect(
      invitation.heading("Acme Corp invited you to ExampleCo Analytics"),
    ).toBeVisible();
    expect
      .soft(await seriousA11yViolations(page), "invitation page")
      .toEqual([]);
    await invitation.acceptButton.click();
    // one ticket: straight to the password form, which also confirms the email address
    await expect(invitation.newPassword).toBeVisible();
    await invitation.setPassword(password);
    // Auth0 (New) does not redirect: one click on its button reaches the app's login route
    const back = invitation.backToApp("Back to ExampleCo Analytics");
    await expect(back).toHaveAttribute("href", "http://localhost:3100/login");
    await back.click();
    await signInAsInviteeAndSeeTenant(page, invitee, password);
    await context.close();

    await adminSeesAccepted(membersPage, invitee);
  });

  test("Classic Universal Login: upload → email → Accept → verify → password → the app's sign-in → accepted", async ({
    browser,
    emulator,
    mailbox,
    signIn,
    importPage,
    membersPage,
  }, testInfo) => {
    test.setTimeout(120_000);
    await emulator.reset();
    await emulator.setUniversalLoginExperience("classic");
    const invitee = `grace.${testInfo.testId}.${Date.now()}@acme.test`;
    const password = "a-new-passphrase-for-grace-42";

    await signIn(SEED.acmeAdmin);
    const link = await uploadAndGetLink(importPage, mailbox, invitee);

    const { context, page } = await inviteeBrowser(browser);
    const invitation = new InvitationPage(page);
    await page.goto(link);
    await invitation.acceptButton.click();
    // verification ticket → Guestlist's /verified → password ticket: lands on the password form
    await expect(invitation.newPassword).toBeVisible();
    await invitation.setPassword(password);
    // Auth0 (Classic) redirects to /done, which asks Auth0 and sends the person to the app's login
    await expect(new LoginPage(page).email).toBeVisible();
    await signInAsInviteeAndSeeTenant(page, invitee, password);
    await context.close();

    await adminSeesAccepted(membersPage, invitee);
  });
});
