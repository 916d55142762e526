// The health feature's SQL: is the database answering?
import type { Queryable } from "../../db/db.ts";

export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query("select 1");
}
