// The post-login Action's source as deployed: the repository file with its claim-name constant set.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ACTION_FILE = fileURLToPath(
  new URL("../../../auth0-actions/post-login.js", import.meta.url),
);

export function actionCode(
  tenantClaim: string,
  source = readFileSync(ACTION_FILE, "utf8"),
): string {
  const pattern = /const TENANT_CLAIM = "[^"]*";/;
  if (!pattern.test(source))
    throw new Error(`${ACTION_FILE}: the TENANT_CLAIM constant is missing`);
  return source.replace(
    pattern,
    `const TENANT_CLAIM = ${JSON.stringify(tenantClaim)};`,
  );
}
