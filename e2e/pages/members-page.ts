// The members table of a tenant: people with access and open invitations, with their state.
import type { Locator, Page } from "@playwright/test";

export class MembersPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly search: Locator;
  readonly table: Locator;
  readonly inviteButton: Locator;
  readonly inviteDialog: Locator;
  readonly roleFilter: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Members", level: 1 });
    this.search = page.getByLabel("Search members");
    this.table = page.getByRole("table", { name: "Members" });
    this.inviteButton = page.getByRole("button", { name: "Invite one person" });
    this.inviteDialog = page.getByRole("dialog", { name: "Invite one person" });
    this.roleFilter = page.getByRole("textbox", { name: "Role" });
  }

  async open(): Promise<void> {
    await this.page.goto("/members");
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
