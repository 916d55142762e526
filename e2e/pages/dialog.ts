// A confirmation dialog of the SPA ("Revoke invitation?", "Make member?"): found by its title,
// answered with its confirming button or Cancel.
import type { Locator, Page } from "@playwright/test";

export class ConfirmDialog {
  readonly root: Locator;

  constructor(page: Page, title: string) {
    this.root = page.getByRole("dialog", { name: title });
  }

  /** Clicks the dialog's button named `action` (e.g. "Revoke"). */
  async confirm(action: string): Promise<void> {
    await this.root.getByRole("button", { name: action }).click();
  }

  async cancel(): Promise<void> {
    await this.root.getByRole("button", { name: "Cancel" }).click();
  }
}
