// temporary analysis script (not committed)
import { openDb } from "../src/db/db.ts";
import { migrate } from "../src/db/migrate.ts";
import { seedTenants } from "../src/db/seed.ts";
import { TEST_TENANTS } from "../src/test/build-test-app.ts";
import { existsSync } from "node:fs";
process.env.BENCH_NO_MAIN = "1";
const { seed } = await import("./members.ts");
const dir = "/tmp/members-an/pglite";
const fresh = !existsSync(dir);
const db = await openDb({ dataDir: dir });
if (fresh) {
  await migrate(db);
  await seedTenants(db, TEST_TENANTS);
  await seed(db);
} else await migrate(db);
console.log("ready");
await db.close();
