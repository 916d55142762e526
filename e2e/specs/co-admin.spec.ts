// A customer admin shares the admin role: she invites a co-admin (role admin) with "Invite one
// person"; the co-admin follows the email, accepts on Guestlist's page, sets a password on Auth0's
// pages, signs in to the app and has admin rights — the Members page and the import preview with
// its role column — because the invitation granted Auth0's "Customer admin" role; support then
// sees her role. Axe checks every page and dialog on the way that shows roles.
import { findLink } from "../support/mailbox.ts";
import { expect, SEED, test } from "../fixtures.ts";

test.describe("a customer admin shares the admin role", () => {
  test.use({ role: "acmeAdmin" });

  test("invites a co-admin, who accepts, signs in and manages the tenant's members", async ({
    mailbox,
    membersPage,
    newVisitor,
    browserAs,
    seriousA11yViolations,
  }, testInfo) => {
    test.setTimeout(150_000);
    const run = `${testInfo.testId}.${Date.now().toString(36)}`;
    const coAdmin = `grace.${run}@acme.test`;
    const password = "a-new-passphrase-for-grace-42";

    // The admin invites Grace as an admin.
    await membersPage.open();
    await expect(membersPage.heading).toBeVisible();
    await membersPage.inviteButton.click();
    await expect(membersPage.inviteRole).toHaveValue("member");
    expect
      .soft(await seriousA11yViolations(), "invite dialog with role")
      .toEqual([]);
    await membersPage.closeInviteDialog();
    await membersPage.invite(coAdmin, "Admin");
    await expect(
      membersPage.text(`Invitation sent to ${coAdmin}`),
    ).toBeVisible();
    await membersPage.find(coAdmin);
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

    const grace = await newVisitor();
    const invitation = grace.invitationPage;
    await invitation.open(link ?? "");
    await expect(invitation.heading(/Acme Corp invited you/)).toBeVisible();
    await invitation.acceptButton.click();
    await expect(invitation.newPassword).toBeVisible();
    await invitation.setPassword(password);
    // New Universal Login (the default): one click back to the app's login route.
    await invitation.backToApp("Back to ExampleCo Analytics").click();
    await grace.loginPage.signIn(coAdmin, password);
    await expect(grace.shell.signOutButton).toBeVisible();
    await expect(grace.shell.text(coAdmin)).toBeVisible();

    // Grace's token carries the admin permissions: the Members page, with the actions of an admin.
    const graceMembers = grace.membersPage;
    await graceMembers.open();
    await expect(graceMembers.heading).toBeVisible();
    await expect(graceMembers.inviteButton).toBeVisible();
    await graceMembers.find(coAdmin);
    await expect(graceMembers.row(coAdmin)).toContainText("Admin");
    await expect(graceMembers.row(coAdmin)).toContainText(/active|accepted/i, {
      timeout: 20_000,
    });

    // Promoting someone else asks first; cancelling changes nothing.
    await graceMembers.find(SEED.acmeAdmin);
    const confirm = await graceMembers.changeRole(SEED.acmeAdmin, "member");
    await expect(confirm.root).toBeVisible();
    expect
      .soft(await seriousA11yViolations(grace.page), "role change dialog")
      .toEqual([]);
    await confirm.cancel();
    await expect(confirm.root).toBeHidden();

    // And the import, where a role column is read and can be changed per row.
    const graceImport = grace.importPage;
    await graceImport.open();
    await graceImport.upload([
      "email,first_name,access",
      `linus.${run}@acme.test,Linus,Administrator`,
      `ada.${run}@acme.test,Ada,user`,
    ]);
    const linusRole = graceImport.roleOf(`linus.${run}@acme.test`);
    await expect(linusRole).toHaveValue("admin");
    await expect(graceImport.roleOf(`ada.${run}@acme.test`)).toHaveValue(
      "member",
    );
    await linusRole.selectOption({ label: "Member" });
    await expect(linusRole).toHaveValue("member");
    expect
      .soft(
        await seriousA11yViolations(grace.page),
        "import preview with roles",
      )
      .toEqual([]);

    // ExampleCo support sees Grace's role on her card; changing it asks first.
    const support = await browserAs("support");
    await support.supportPage.open();
    await support.supportPage.find(coAdmin);
    const card = support.supportPage.person(coAdmin);
    await expect(card).toContainText("Role in Acme Corp:");
    await expect(card).toContainText("Admin");
    const demote = await support.supportPage.changeRole(coAdmin, "member");
    expect
      .soft(await seriousA11yViolations(support.page), "support role dialog")
      .toEqual([]);
    await demote.cancel();
    await expect(demote.root).toBeHidden();
  });
});
