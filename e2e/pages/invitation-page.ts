// What an invitee sees: the BFF's invitation page and the emulator's hosted password page.
import type { Locator, Page } from "@playwright/test";

export class InvitationPage {
  readonly page: Page;
  readonly acceptButton: Locator;
  readonly newPassword: Locator;
  readonly confirmPassword: Locator;
  readonly resetPasswordButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.acceptButton = page.getByRole("button", { name: "Accept" });
    this.newPassword = page.getByLabel("New password", { exact: true });
    this.confirmPassword = page.getByLabel("Confirm new password");
    this.resetPasswordButton = page.getByRole("button", {
      name: "Reset password",
    });
  }

  /** Follows the link of the invitation email. */
  async open(link: string): Promise<void> {
    await this.page.goto(link);
  }

  /** New Universal Login's button after the password was set (to the app's initiate_login_uri). */
  backToApp(appName: string | RegExp): Locator {
    return this.page.getByRole("link", { name: appName });
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { name });
  }

  async setPassword(password: string): Promise<void> {
    await this.newPassword.fill(password);
    await this.confirmPassword.fill(password);
    await this.resetPasswordButton.click();
  }
}
