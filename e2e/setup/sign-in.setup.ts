// Signs each seeded role in once per run through the real landing page and the emulator's login
// page, and saves the browser state for the specs (https://playwright.dev/docs/auth, "Multiple
// signed in roles"). The state is the Auth0 SDK's token cache in the app origin's localStorage
// (web/src/app/auth-root.tsx: `cacheLocation="localstorage"`, access tokens live 24 h) plus its
// `is.authenticated` cookie: a page opened from it is signed in without asking the emulator, so
// the emulator reset before every test (fixtures.ts, freshStack) does not sign it out.
import { expect, test as setup } from "../fixtures.ts";
import {
  authFile,
  ROLE_NAMES,
  ROLES,
  SEED_PASSWORD,
} from "../support/roles.ts";

for (const role of ROLE_NAMES) {
  setup(`${role} signs in`, async ({ page, appShell, loginPage }) => {
    await appShell.open();
    await appShell.signIn();
    await loginPage.signIn(ROLES[role], SEED_PASSWORD);
    await expect(appShell.signOutButton).toBeVisible();
    await expect(appShell.text(ROLES[role])).toBeVisible();
    await page.context().storageState({ path: authFile(role) });
  });
}
