// The members table of a tenant: people with access and open invitations, with their state.
import type { Locator, Page } from "@playwright/test";
import { READY_MS } from "./ready.ts";
import { ConfirmDialog } from "./dialog.ts";

export class MembersPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly search: Locator;
  readonly table: Locator;
  readonly inviteButton: Locator;
  readonly inviteDialog: Locator;
  readonly roleFilter: Locator;
  /** The seat counter ("2 invitations pending", …). */
  readonly seats: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Members", level: 1 });
    this.search = page.getByLabel("Search members");
    this.table = page.getByRole("table", { name: "Members" });
    this.inviteButton = page.getByRole("button", { name: "Invite one person" });
    this.inviteDialog = page.getByRole("dialog", { name: "Invite one person" });
    this.roleFilter = page.getByRole("textbox", { name: "Role" });
    this.seats = page.getByRole("group", { name: "Seats" });
  }

  /** Navigates here and waits for the heading (READY_MS: the first load of a cold SPA). */
  async open(): Promise<void> {
    await this.page.goto("/members");
    await this.heading.waitFor({ timeout: READY_MS });
  }

  /** The role picker of the "Invite one person" dialog. */
  get inviteRole(): Locator {
    return this.inviteDialog.getByRole("combobox", { name: "Role" });
  }

  /** Closes the "Invite one person" dialog without sending (Escape). */
  async closeInviteDialog(): Promise<void> {
    await this.page.keyboard.press("Escape");
  }

  /** Finds people by email in the table. */
  async find(email: string): Promise<void> {
    await this.search.fill(email);
  }

  async resendInvitation(email: string): Promise<void> {
    await this.page
      .getByRole("button", { name: `Resend invitation to ${email}` })
      .click();
  }

  /** Clicks Revoke in the row of `email`; the answer is the "Revoke invitation?" dialog. */
  async revoke(email: string): Promise<ConfirmDialog> {
    await this.page.getByRole("button", { name: `Revoke ${email}` }).click();
    return new ConfirmDialog(this.page, "Revoke invitation?");
  }

  /** Clicks "Make admin/member" in the row of `email`; the answer is the dialog that asks first. */
  async changeRole(
    email: string,
    to: "admin" | "member",
  ): Promise<ConfirmDialog> {
    await this.roleButton(email, to).click();
    return new ConfirmDialog(this.page, `Make ${to}?`);
  }

  /** A message on the page, e.g. "Invitation sent to …". */
  text(value: string | RegExp): Locator {
    return this.page.getByText(value);
  }

  /** "Invite one person" with a role: opens the dialog, fills it in and sends. */
  async invite(email: string, role: "Admin" | "Member"): Promise<void> {
    await this.inviteButton.click();
    await this.inviteDialog.getByLabel("Email").fill(email);
    await this.inviteDialog
      .getByRole("combobox", { name: "Role" })
      .selectOption({ label: role });
    await this.inviteDialog
      .getByRole("button", { name: "Send invitation" })
      .click();
  }

  /** "Make admin: <email>" / "Make member: <email>" in the person's row. */
  roleButton(email: string, to: "admin" | "member"): Locator {
    return this.page.getByRole("button", { name: `Make ${to}: ${email}` });
  }

  /** The table row of one person, found by email. */
  row(email: string): Locator {
    return this.table.getByRole("row").filter({ hasText: email });
  }
}
