// The only place specs get `test` and `expect` from: page objects, clients for the stack, and the
// fixtures that set the stack up and clean it up (https://playwright.dev/docs/test-fixtures):
// every test starts from the seed (emulator reset, mailbox emptied) without asking, and its page
// is signed in as `test.use({ role })` says, from the state setup/sign-in.setup.ts saved once per
// run (https://playwright.dev/docs/auth).
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "@playwright/test";
import { AppShell } from "./pages/app-shell.ts";
import { ImportPage } from "./pages/import-page.ts";
import { LoginPage } from "./pages/login-page.ts";
import { MembersPage } from "./pages/members-page.ts";
import { Person } from "./pages/person.ts";
import { SupportPage } from "./pages/support-page.ts";
import { EmulatorClient } from "./support/emulator-client.ts";
import { Mailbox } from "./support/mailbox.ts";
import { E2E, REPO_ROOT } from "./support/ports.ts";
import { authFile, ROLES, SEED_PASSWORD, type Role } from "./support/roles.ts";

export type { Role } from "./support/roles.ts";

/** The seeded logins (auth0-emulator/README.md, Seed; local emulator only). */
export const SEED = { password: SEED_PASSWORD, ...ROLES } as const;

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: number;
  /** CSS targets of the first offending nodes, to find them quickly. */
  examples: string[];
}

interface Options {
  /**
   * Who the test's `page` is signed in as (`test.use({ role: "acmeAdmin" })`): its context starts
   * from that role's saved `storageState`. `null` (the default): a signed-out visitor.
   */
  role: Role | null;
  /**
   * The tenant's Universal Login experience during the test (`test.use({ universalLogin:
   * "classic" })`); set after the reset and put back to the seed's "new" afterwards.
   */
  universalLogin: "new" | "classic";
}

interface Fixtures {
  /**
   * Automatic: before every test the emulator goes back to its seed (users, tickets, jobs, faults,
   * Universal Login experience; auth0-emulator/README.md, control API) and maildev's inbox is
   * emptied, so no spec resets by hand and no test sees another's data.
   */
  freshStack: void;
  emulator: EmulatorClient;
  mailbox: Mailbox;
  loginPage: LoginPage;
  appShell: AppShell;
  importPage: ImportPage;
  membersPage: MembersPage;
  supportPage: SupportPage;
  /** A browser context of its own from `storageState`, closed after the test (browserAs, newVisitor). */
  ownBrowser: (
    storageState: BrowserContextOptions["storageState"],
  ) => Promise<Person>;
  /** A second browser of its own, signed in as `role` (e.g. support next to an admin); closed after the test. */
  browserAs: (role: Role) => Promise<Person>;
  /** A signed-out browser of its own (e.g. an invitee opening their email's link); closed after the test. */
  newVisitor: () => Promise<Person>;
  /**
   * Saves a README screenshot to docs/screenshots/<name>.png when it is missing, or always with
   * UPDATE_SCREENSHOTS=1 (so ordinary runs do not rewrite tracked images).
   */
  readmeScreenshot: (name: string, page?: Page) => Promise<void>;
  /** Serious and critical axe violations on the current page (WCAG 2.x A/AA rules). */
  seriousA11yViolations: (page?: Page) => Promise<AxeViolation[]>;
}

/** The saved state of `role`; the "sign-in" project (playwright.config.ts) writes it first. */
function signedInState(role: Role): string {
  const file = authFile(role);
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: the "sign-in" setup project saves it (do not run with --no-deps)`,
    );
  return file;
}

export const test = base.extend<Options & Fixtures>({
  role: [null, { option: true }],
  universalLogin: ["new", { option: true }],
  storageState: async ({ role, storageState }, use) => {
    await use(role ? signedInState(role) : storageState);
  },
  freshStack: [
    async ({ emulator, mailbox, universalLogin }, use) => {
      await emulator.reset();
      await mailbox.clear();
      if (universalLogin !== "new")
        await emulator.setUniversalLoginExperience(universalLogin);
      await use();
      if (universalLogin !== "new")
        await emulator.setUniversalLoginExperience("new");
    },
    { auto: true },
  ],
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
  ownBrowser: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (storageState) => {
      const context = await browser.newContext({ storageState });
      contexts.push(context);
      return new Person(await context.newPage());
    });
    await Promise.all(contexts.map((c) => c.close()));
  },
  browserAs: async ({ ownBrowser }, use) => {
    await use((role) => ownBrowser(signedInState(role)));
  },
  newVisitor: async ({ ownBrowser }, use) => {
    // Empty on purpose: Playwright Test gives a context made in a test the test's context options
    // unless the call sets them, so without it the visitor would be signed in as the test's role.
    await use(() => ownBrowser({ cookies: [], origins: [] }));
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
