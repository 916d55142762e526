// The emulator's Universal-Login-like page (auth0-emulator/src/oidc/login-page.ts).
import type { Locator, Page } from "@playwright/test";

export class LoginPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly continueButton: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.page = page;
    this.heading = page.getByRole("heading", { name: "Welcome" });
    this.email = page.getByLabel("Email address");
    this.password = page.getByLabel("Password");
    this.continueButton = page.getByRole("button", { name: "Continue" });
    this.error = page.getByRole("alert");
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.continueButton.click();
  }
}
