// The only place specs get `test` and `expect` from: page objects and clients for the stack.
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { AppShell } from "./pages/app-shell.ts";
import { ImportPage } from "./pages/import-page.ts";
import { LoginPage } from "./pages/login-page.ts";
import { MembersPage } from "./pages/members-page.ts";
import { SupportPage } from "./pages/support-page.ts";
import { EmulatorClient } from "./support/emulator-client.ts";
import { Mailbox } from "./support/mailbox.ts";
import { E2E, REPO_ROOT } from "./support/ports.ts";

/** The seeded logins (auth0-emulator/README.md, Seed; local emulator only). */
export const SEED = {
  password: "correct-horse-battery-staple",
  acmeAdmin: "admin@acme.test",
  globexAdmin: "admin@globex.test",
  support: "support@exampleco.test",
} as const;

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: number;
  /** CSS targets of the first offending nodes, to find them quickly. */
  examples: string[];
}

interface Fixtures {
  emulator: EmulatorClient;
  mailbox: Mailbox;
  loginPage: LoginPage;
  appShell: AppShell;
  importPage: ImportPage;
  membersPage: MembersPage;
  supportPage: SupportPage;
  /** Signs in through the landing page and the emulator's login page; resolves once signed in. */
  signIn: (email: string, password?: string, page?: Page) => Promise<void>;
  /**
   * Saves a README screenshot to docs/screenshots/<name>.png when it is missing, or always with
   * UPDATE_SCREENSHOTS=1 (so ordinary runs do not rewrite tracked images).
   */
  readmeScreenshot: (name: string, page?: Page) => Promise<void>;
  /** Serious and critical axe violations on the current page (WCAG 2.x A/AA rules). */
  seriousA11yViolations: (page?: Page) => Promise<AxeViolation[]>;
}

export const test = base.extend<Fixtures>({
  emulator: async ({ request }, use) => {
    await use(new EmulatorClient(request, E2E.emulatorUrl));
  },
  mailbox: async ({ request }, use) => {
    await use(new Mailbox(request, E2E.inboxUrl));
  },
  loginPage: async ({ page }, use) => {
    await use(new LoginPage(page));
  },
  appShell: async ({ page }, use) => {
    await use(new AppShell(page));
  },
  importPage: async ({ page }, use) => {
    await use(new ImportPage(page));
  },
  membersPage: async ({ page }, use) => {
    await use(new MembersPage(page));
  },
  supportPage: async ({ page }, use) => {
    await use(new SupportPage(page));
  },
  signIn: async ({ page }, use) => {
    await use(async (email, password = SEED.password, target = page) => {
      const shell = new AppShell(target);
      await shell.open();
      await shell.signIn();
      await new LoginPage(target).signIn(email, password);
      await expect(shell.signOutButton).toBeVisible();
    });
  },
  readmeScreenshot: async ({ page }, use) => {
    await use(async (name, target = page) => {
      const dir = resolve(REPO_ROOT, "docs", "screenshots");
      const file = resolve(dir, `${name}.png`);
      if (existsSync(file) && process.env.UPDATE_SCREENSHOTS !== "1") return;
      mkdirSync(dir, { recursive: true });
      await target.screenshot({ path: file, fullPage: false });
    });
  },
  seriousA11yViolations: async ({ page }, use) => {
    await use(async (target = page) => {
      // Let finite animations end first: a dialog fading in has low contrast for a moment.
      await target.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
            .map((a) => a.finished.catch(() => undefined)),
        ),
      );
      const results = await new AxeBuilder({ page: target })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      return results.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({
          id: v.id,
          impact: v.impact ?? "",
          help: v.help,
          nodes: v.nodes.length,
          examples: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }));
    });
  },
});

export { expect };
