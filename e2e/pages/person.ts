// One person's browser (its own context): the page and the page objects of what they can open.
// Specs get one from the fixtures `browserAs(role)` (signed in) or `newVisitor()` (signed out).
import type { Page } from "@playwright/test";
import { AppShell } from "./app-shell.ts";
import { ImportPage } from "./import-page.ts";
import { InvitationPage } from "./invitation-page.ts";
import { LoginPage } from "./login-page.ts";
import { MembersPage } from "./members-page.ts";
import { SupportPage } from "./support-page.ts";

export class Person {
  readonly page: Page;
  readonly shell: AppShell;
  readonly loginPage: LoginPage;
  readonly invitationPage: InvitationPage;
  readonly importPage: ImportPage;
  readonly membersPage: MembersPage;
  readonly supportPage: SupportPage;

  constructor(page: Page) {
    this.page = page;
    this.shell = new AppShell(page);
    this.loginPage = new LoginPage(page);
    this.invitationPage = new InvitationPage(page);
    this.importPage = new ImportPage(page);
    this.membersPage = new MembersPage(page);
    this.supportPage = new SupportPage(page);
  }
}
