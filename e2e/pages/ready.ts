// How long a page object's open() waits for its page to be ready: a first visit loads the SPA's
// bundle, restores the Auth0 session from the saved state and fetches the page's data, which takes
// well over the 10 s `expect` timeout on the shared 2-core machine under load. A budget, not a check.
export const READY_MS = 30_000;
