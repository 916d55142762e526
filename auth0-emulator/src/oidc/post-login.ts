// What the tenant's post-login Action does, as a pure function: copy app_metadata.tenant_id into
// the namespaced custom claim. The real Action (shipped separately for real tenants) is
//   exports.onExecutePostLogin = async (event, api) => {
//     const tenant = event.user.app_metadata?.tenant_id;
//     if (typeof tenant === "string" && tenant) {
//       api.accessToken.setCustomClaim(CLAIM, tenant);
//       api.idToken.setCustomClaim(CLAIM, tenant);
//     }
//   };

export interface PostLoginUser {
  app_metadata?: Record<string, unknown>;
}

/** The custom claims the Action would add: `{ [claimName]: tenant_id }`, or none without a tenant. */
export function addTenantClaim(
  user: PostLoginUser,
  claimName: string,
): Record<string, string> {
  const tenant = user.app_metadata?.tenant_id;
  return typeof tenant === "string" && tenant !== ""
    ? { [claimName]: tenant }
    : {};
}
