// The admin's import flow in the SPA: upload a CSV, preview the verdicts, send the invitations.
import type { Locator, Page } from "@playwright/test";
import { READY_MS } from "./ready.ts";

export class ImportPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly fileInput: Locator;
  readonly progressHeading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Import people" });
    this.fileInput = page.getByLabel("CSV file");
    this.progressHeading = page.getByRole("heading", {
      name: "Import progress",
    });
  }

  /** Navigates here and waits for the heading (READY_MS: the first load of a cold SPA). */
  async open(): Promise<void> {
    await this.page.goto("/import");
    await this.heading.waitFor({ timeout: READY_MS });
  }

  /** Uploads a CSV built from `lines` (the first line is the header). */
  async upload(lines: string[], name = "people.csv"): Promise<void> {
    await this.fileInput.setInputFiles({
      name,
      mimeType: "text/csv",
      buffer: Buffer.from(lines.join("\r\n") + "\r\n"),
    });
  }

  /** "Send N invitation(s)". */
  sendButton(count: number): Locator {
    return this.page.getByRole("button", {
      name: `Send ${count} invitation${count === 1 ? "" : "s"}`,
    });
  }

  /** The verdict filter above the preview ("Duplicate in file (1)", "Invalid (1)", …). */
  get verdicts(): Locator {
    return this.page.getByRole("radiogroup", {
      name: "Filter rows by verdict",
    });
  }

  /** Unticks every row, so the admin chooses who takes the seats by hand. */
  async clearSelection(): Promise<void> {
    await this.page.getByRole("button", { name: "Clear selection" }).click();
  }

  /** Ticks the row of `email` in the preview. */
  async choose(email: string): Promise<void> {
    await this.page.getByRole("checkbox", { name: `Invite ${email}` }).check();
  }

  /** The role picker of one row in the preview ("Role of <email>"). */
  roleOf(email: string): Locator {
    return this.page.getByRole("combobox", { name: `Role of ${email}` });
  }

  /** A message on the page, e.g. the seat summary of the preview. */
  text(value: string | RegExp): Locator {
    return this.page.getByText(value);
  }

  selectFirstButton(): Locator {
    return this.page.getByRole("button", { name: /^Select first \d+/ });
  }

  /** The value next to a statistic label on the progress page, e.g. "Invitations sent". */
  stat(label: string): Locator {
    return this.page.getByText(label, { exact: true }).locator("..");
  }
}
