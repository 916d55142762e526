// The members table of a tenant: people with access and open invitations, with their state.
import type { Locator, Page } from "@playwright/test";

export class MembersPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly search: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Members", level: 1 });
    this.search = page.getByLabel("Search members");
    this.table = page.getByRole("table", { name: "Members" });
  }

  async open(): Promise<void> {
    await this.page.goto("/members");
  }

  /** The table row of one person, found by email. */
  row(email: string): Locator {
    return this.table.getByRole("row").filter({ hasText: email });
  }
}
