// ExampleCo support's console: find a person across tenants, act on them, manage tenants' seats.
import type { Locator, Page } from "@playwright/test";
import { READY_MS } from "./ready.ts";
import { ConfirmDialog } from "./dialog.ts";

export class SupportPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly searchEmail: Locator;
  readonly searchButton: Locator;
  readonly tenants: Locator;
  readonly seatLimit: Locator;
  readonly saveSeats: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Support", level: 1 });
    const search = page.getByRole("search", { name: "Find a person by email" });
    this.searchEmail = search.getByLabel("Email address");
    this.searchButton = search.getByRole("button", { name: "Search" });
    this.tenants = page.getByRole("table", { name: "Tenants" });
    this.seatLimit = page.getByLabel("Seat limit");
    this.saveSeats = page.getByRole("button", { name: "Save seats" });
  }

  /** Navigates here and waits for the heading (READY_MS: the first load of a cold SPA). */
  async open(): Promise<void> {
    await this.page.goto("/support");
    await this.heading.waitFor({ timeout: READY_MS });
  }

  async find(email: string): Promise<void> {
    await this.searchEmail.fill(email);
    await this.searchButton.click();
  }

  /** The card of one person found by the search. */
  person(email: string): Locator {
    return this.page.getByRole("region", { name: `Person ${email}` });
  }

  async sendPasswordLink(email: string): Promise<void> {
    await this.person(email)
      .getByRole("button", { name: "Send password link" })
      .click();
  }

  /** Clicks "Make admin/member" on the card of `email`; the answer is the dialog that asks first. */
  async changeRole(
    email: string,
    to: "admin" | "member",
  ): Promise<ConfirmDialog> {
    await this.person(email)
      .getByRole("button", { name: `Make ${to}: ${email}` })
      .click();
    return new ConfirmDialog(this.page, `Make ${to}?`);
  }

  /** A message on the page, e.g. "Password link sent to …". */
  text(value: string | RegExp): Locator {
    return this.page.getByText(value);
  }

  tenantRow(name: string): Locator {
    return this.tenants.getByRole("row").filter({ hasText: name });
  }

  async changeSeats(tenantName: string, limit: number): Promise<void> {
    await this.page
      .getByRole("button", { name: `Change seats of ${tenantName}` })
      .click();
    await this.seatLimit.fill(String(limit));
    await this.saveSeats.click();
  }
}
