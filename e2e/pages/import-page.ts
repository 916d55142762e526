// The admin's import flow in the SPA: upload a CSV, preview the verdicts, send the invitations.
import type { Locator, Page } from "@playwright/test";

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

  async open(): Promise<void> {
    await this.page.goto("/import");
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

  selectFirstButton(): Locator {
    return this.page.getByRole("button", { name: /^Select first \d+/ });
  }

  /** The value next to a statistic label on the progress page, e.g. "Invitations sent". */
  stat(label: string): Locator {
    return this.page.getByText(label, { exact: true }).locator("..");
  }
}
