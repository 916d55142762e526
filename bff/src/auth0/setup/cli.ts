// `pnpm auth0:setup`: configures a real Auth0 tenant (or the emulator, with AUTH0_MANAGEMENT_URL)
// for Guestlist and prints the .env values. Flags: --show-secret (print the BFF client secret when
// known). See docs/real-tenant.md.
import { loadSetupConfig } from "./config.ts";
import { desiredTenant } from "./desired.ts";
import { envLines } from "./env-output.ts";
import { formatChange, managementClientFor } from "./management-client.ts";
import { setupTenant } from "./setup-tenant.ts";

async function main(argv: string[]): Promise<void> {
  const config = loadSetupConfig();
  const mgmt = managementClientFor(config);
  const desired = desiredTenant({
    managementAudience: config.managementAudience,
    publicUrl: config.publicUrl,
    extraUrls: config.extraUrls,
    ...(config.audience ? { audience: config.audience } : {}),
    ...(config.tenantClaim ? { tenantClaim: config.tenantClaim } : {}),
    ...(config.spaClientId ? { spaClientId: config.spaClientId } : {}),
    ...(config.connectionId ? { connectionId: config.connectionId } : {}),
    ...(config.connectionName ? { connectionName: config.connectionName } : {}),
    ...(config.inviteeAppClientId
      ? { inviteeAppClientId: config.inviteeAppClientId }
      : {}),
    inviteeAppLoginUrl: config.inviteeAppLoginUrl,
    productName: config.productName,
  });
  console.log(
    `Setting up ${config.managementUrl ?? config.domain} for Guestlist…`,
  );
  const result = await setupTenant(mgmt, desired);
  for (const c of result.changes) console.log(`  ${formatChange(c)}`);
  for (const c of result.changes.filter((x) => x.action === "skipped"))
    console.warn(`\nWARNING: ${c.detail ?? c.item}`);
  for (const note of result.notes) console.log(`\n${note}`);
  const created = result.changes.some(
    (c) => c.item.startsWith("M2M application") && c.action === "created",
  );
  console.log("\nPut these values in .env (repository root):\n");
  for (const line of envLines(
    config,
    result,
    created || argv.includes("--show-secret"),
  ))
    console.log(line);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
