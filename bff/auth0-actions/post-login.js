/**
 * Guestlist post-login Action (Auth0 Actions, trigger "post-login", runtime node22).
 *
 * Adds the tenant claim to the access token and the ID token from app_metadata.tenant_id (and the
 * user's email to the access token), so the
 * BFF knows which customer organisation a signed-in user belongs to. Users without a tenant (for
 * example ExampleCo's support staff) get no claim.
 *
 * `pnpm auth0:setup` deploys this file as it is, with TENANT_CLAIM replaced by the configured claim
 * name, and binds it to the post-login trigger. The local emulator runs this same file whenever it
 * mints tokens, so local and real tenants behave alike. Plain JavaScript on purpose: Auth0 stores
 * and runs the source text.
 */
const TENANT_CLAIM = "https://guestlist.example/tenant";
/** Access tokens carry no email by default; the BFF records who invited whom by this claim. */
const EMAIL_CLAIM = "https://guestlist.example/email";

/**
 * @param {{ user: { email?: string, app_metadata?: Record<string, unknown> } }} event
 * @param {{ accessToken: { setCustomClaim(name: string, value: unknown): void },
 *           idToken: { setCustomClaim(name: string, value: unknown): void } }} api
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Auth0 awaits the handler; the async form is its documented signature
exports.onExecutePostLogin = async (event, api) => {
  if (typeof event.user.email === "string" && event.user.email !== "")
    api.accessToken.setCustomClaim(EMAIL_CLAIM, event.user.email);
  const tenant = event.user.app_metadata
    ? event.user.app_metadata.tenant_id
    : undefined;
  if (typeof tenant !== "string" || tenant === "") return;
  api.accessToken.setCustomClaim(TENANT_CLAIM, tenant);
  api.idToken.setCustomClaim(TENANT_CLAIM, tenant);
};
