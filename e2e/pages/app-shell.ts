// The SPA's frame: the landing page for signed-out people and the signed-in layout
// (user, tenant name, navigation, sign out).
import type { Locator, Page } from "@playwright/test";

export class AppShell {
  readonly page: Page;
  readonly signInButton: Locator;
  readonly signOutButton: Locator;
  readonly navigation: Locator;

  constructor(page: Page) {
    this.page = page;
    this.signInButton = page
      .getByRole("button", { name: /^(sign|log) in/i })
      .first();
    this.signOutButton = page.getByRole("button", { name: /^(sign|log) out/i });
    this.navigation = page.getByRole("navigation");
  }

  async open(path = "/"): Promise<void> {
    await this.page.goto(path);
  }

  async reload(): Promise<void> {
    await this.page.reload();
  }

  async signIn(): Promise<void> {
    await this.signInButton.click();
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }

  /** The page's main heading, e.g. "You're in Acme Corp" after an invitee's first sign-in. */
  heading(name: string | RegExp): Locator {
    return this.page.getByRole("heading", { level: 1, name });
  }

  /** Text shown in the signed-in frame, e.g. the tenant name or the user's email. */
  text(value: string | RegExp): Locator {
    return this.page.getByText(value).first();
  }
}
