// A person signs in through the emulator's login page; a wrong password is refused; a reload
// keeps them signed in. These tests sign in through the UI themselves (no saved `role` state):
// signing in is what they test.
import { expect, SEED, test } from "../fixtures.ts";

test.describe("a person signs in and out", () => {
  test("an admin signs in on the login page, sees their tenant and email, and signs out", async ({
    appShell,
    loginPage,
    seriousA11yViolations,
  }) => {
    await appShell.open();
    await expect(appShell.signInButton).toBeVisible();
    expect.soft(await seriousA11yViolations(), "landing page").toEqual([]);

    await appShell.signIn();
    await expect(loginPage.heading).toBeVisible();
    await loginPage.signIn(SEED.acmeAdmin, SEED.password);

    await expect(appShell.text(/Acme/)).toBeVisible();
    await expect(appShell.text(SEED.acmeAdmin)).toBeVisible();
    await expect(appShell.signOutButton).toBeVisible();
    expect.soft(await seriousA11yViolations(), "signed-in shell").toEqual([]);

    await appShell.signOut();
    await expect(appShell.signInButton).toBeVisible();
    await expect(appShell.text(SEED.acmeAdmin)).toBeHidden();
  });

  test("a wrong password shows an error and signs nobody in", async ({
    page,
    appShell,
    loginPage,
  }) => {
    await appShell.open();
    await appShell.signIn();
    await loginPage.signIn(SEED.acmeAdmin, "not-the-password");

    await expect(loginPage.error).toBeVisible();
    await expect(loginPage.error).toContainText(/wrong|incorrect|invalid/i);
    await expect(loginPage.email).toHaveValue(SEED.acmeAdmin);

    await loginPage.signIn(SEED.acmeAdmin, SEED.password);
    await expect(appShell.text(SEED.acmeAdmin)).toBeVisible();
    await expect(page).toHaveURL(/^http:\/\/localhost:3100\//);
  });

  test("a reload keeps the session through silent re-authentication", async ({
    appShell,
    loginPage,
  }) => {
    await appShell.open();
    await appShell.signIn();
    await loginPage.signIn(SEED.globexAdmin, SEED.password);
    await expect(appShell.text(/Globex/)).toBeVisible();

    await appShell.reload();
    await expect(appShell.text(SEED.globexAdmin)).toBeVisible();
    await expect(appShell.signOutButton).toBeVisible();
    await expect(loginPage.heading).toBeHidden();

    // After signing out, a reload stays signed out: the emulator's session is gone too.
    await appShell.signOut();
    await expect(appShell.signInButton).toBeVisible();
    await appShell.reload();
    await expect(appShell.signInButton).toBeVisible();
  });
});
