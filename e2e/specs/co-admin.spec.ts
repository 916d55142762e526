// Issue 13 journey: a customer admin invites a co-admin (role admin) with "Invite one person"; the
// co-admin follows the email, accepts on Guestlist's page, sets a password on Auth0's pages, signs
// in to the app and has admin rights — the Members page and the import preview with its role
// column — because the invitation granted Auth0's "Customer admin" role; support then sees her role. Axe checks every page and dialog that issue 13 changed.
import { AppShell } from "../pages/app-shell.ts";
import { ImportPage } from "../pages/import-page.ts";
import { InvitationPage } from "../pages/invitation-page.ts";
import { LoginPage } from "../pages/login-page.ts";
import { MembersPage } from "../pages/members-page.ts";
import { SupportPage } from "../pages/support-page.ts";
import { findLink } from "../support/mailbox.ts";
import { expect, SEED, test } from "../fixtures.ts";

test("an admin invites a co-admin, who accepts, signs in and manages the tenant's members", async ({
  page,
  browser,
  emulator,
  mailbox,
  signIn,
  membersPage,
  seriousA11yViolations,
}, testInfo) => {
  test.setTimeout(150_000);
  await emulator.reset();
  const run = `${testInfo.testId}.${Date.now().toString(36)}`;
  const coAdmin = `grace.${run}@acme.test`;
  const password = "a-new-passphrase-for-grace-42";

  // The admin invites Grace as an admin.
  await signIn(SEED.acmeAdmin);
  await membersPage.open();
  await expect(membersPage.heading).toBeVisible();
  await membersPage.inviteButton.click();
  await expect(
    membersPage.inviteDialog.getByRole("combobox", { name: "Role" }),
  ).toHaveValue("member");
  expect
    .soft(await seriousA11yViolations(), "invite dialog with role")
    .toEqual([]);
  await page.keyboard.press("Escape");
  await membersPage.invite(coAdmin, "Admin");
  await expect(page.getByText(`Invitation sent to ${coAdmin}`)).toBeVisible();
  await membersPage.search.fill(coAdmin);
  await expect(membersPage.row(coAdmin)).toContainText("Admin");
  await expect(membersPage.roleButton(coAdmin, "member")).toBeVisible();
  expect
    .soft(await seriousA11yViolations(), "members page with roles")
    .toEqual([]);

  // The email, then Guestlist's invitation page and Auth0's password page.
  await expect
    .poll(async () => (await mailbox.to(coAdmin)).length, {
      timeout: 60_000,
      message: "invitation email",
    })
    .toBe(1);
  const [mail] = await mailbox.to(coAdmin);
  const link = mail && findLink(mail, /\/invitations\/[^/]+$/);
  expect(link, "invitation link in the email").toBeTruthy();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  const invitation = new InvitationPage(invitee);
  await invitee.goto(link ?? "");
  await expect(invitation.heading(/Acme Corp invited you/)).toBeVisible();
  await invitation.acceptButton.click();
  await expect(invitation.newPassword).toBeVisible();
  await invitation.setPassword(password);
  // New Universal Login (the default): one click back to the app's login route.
  await invitation.backToApp("Back to ExampleCo Analytics").click();
  await new LoginPage(invitee).signIn(coAdmin, password);
  const shell = new AppShell(invitee);
  await expect(shell.signOutButton).toBeVisible();
  await expect(shell.text(coAdmin)).toBeVisible();

  // Grace's token carries the admin permissions: the Members page, with the actions of an admin.
  const graceMembers = new MembersPage(invitee);
  await graceMembers.open();
  await expect(graceMembers.heading).toBeVisible();
  await expect(graceMembers.inviteButton).toBeVisible();
  await graceMembers.search.fill(coAdmin);
  await expect(graceMembers.row(coAdmin)).toContainText("Admin");
  await expect(graceMembers.row(coAdmin)).toContainText(/active|accepted/i, {
    timeout: 20_000,
  });

  // Promoting someone else asks first; cancelling changes nothing.
  await graceMembers.search.fill(SEED.acmeAdmin);
  await graceMembers.roleButton(SEED.acmeAdmin, "member").click();
  const confirm = invitee.getByRole("dialog", { name: "Make member?" });
  await expect(confirm).toBeVisible();
  expect
    .soft(await seriousA11yViolations(invitee), "role change dialog")
    .toEqual([]);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();

  // And the import, where a role column is read and can be changed per row.
  const graceImport = new ImportPage(invitee);
  await graceImport.open();
  await graceImport.upload([
    "email,first_name,access",
    `linus.${run}@acme.test,Linus,Administrator`,
    `ada.${run}@acme.test,Ada,user`,
  ]);
  const linusRole = invitee.getByRole("combobox", {
    name: `Role of linus.${run}@acme.test`,
  });
  await expect(linusRole).toHaveValue("admin");
  await expect(
    invitee.getByRole("combobox", { name: `Role of ada.${run}@acme.test` }),
  ).toHaveValue("member");
  await linusRole.selectOption({ label: "Member" });
  await expect(linusRole).toHaveValue("member");
  expect
    .soft(await seriousA11yViolations(invitee), "import preview with roles")
    .toEqual([]);
  await context.close();

  // ExampleCo support sees Grace's role on her card; changing it asks first.
  const supportContext = await browser.newContext();
  const supportTab = await supportContext.newPage();
  await signIn(SEED.support, SEED.password, supportTab);
  const support = new SupportPage(supportTab);
  await support.open();
  await support.find(coAdmin);
  const card = support.person(coAdmin);
  await expect(card).toContainText("Role in Acme Corp:");
  await expect(card).toContainText("Admin");
  await card.getByRole("button", { name: `Make member: ${coAdmin}` }).click();
  const demote = supportTab.getByRole("dialog", { name: "Make member?" });
  expect
    .soft(await seriousA11yViolations(supportTab), "support role dialog")
    .toEqual([]);
  await demote.getByRole("button", { name: "Cancel" }).click();
  await expect(demote).toBeHidden();
  await supportContext.close();
});
