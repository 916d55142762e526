import { describe, expect, test } from "vitest";
import { addTenantClaim } from "./post-login.ts";

const CLAIM = "https://guestlist.example/tenant";

describe("addTenantClaim", () => {
  test("copies app_metadata.tenant_id into the namespaced claim", () => {
    expect(
      addTenantClaim({ app_metadata: { tenant_id: "acme", other: 1 } }, CLAIM),
    ).toEqual({ [CLAIM]: "acme" });
  });

  test("adds nothing for a user without a tenant", () => {
    expect(addTenantClaim({ app_metadata: {} }, CLAIM)).toEqual({});
    expect(addTenantClaim({}, CLAIM)).toEqual({});
  });

  test("ignores a tenant_id that is not a non-empty string", () => {
    expect(addTenantClaim({ app_metadata: { tenant_id: 42 } }, CLAIM)).toEqual(
      {},
    );
    expect(addTenantClaim({ app_metadata: { tenant_id: "" } }, CLAIM)).toEqual(
      {},
    );
  });

  test("uses the configured claim name", () => {
    expect(
      addTenantClaim(
        { app_metadata: { tenant_id: "globex" } },
        "https://x.test/t",
      ),
    ).toEqual({ "https://x.test/t": "globex" });
  });
});
