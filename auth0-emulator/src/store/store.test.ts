import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { Store } from "./index.ts";
import type { EmuState } from "./types.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const bffScopes = (store: Store) =>
  store.clients
    .get("guestlist-bff")
    ?.grants?.find((g) => g.audience === "management")?.scope ?? [];

test("a state file from an older emulator keeps its data and gains the seed's new Management API scopes", () => {
  dir = mkdtempSync(join(tmpdir(), "emu-state-"));
  const fresh = new Store({ dataDir: dir, bcryptRounds: 4 });
  fresh.flush();
  const saved = JSON.parse(
    readFileSync(join(dir, "state.json"), "utf8"),
  ) as EmuState;
  const grant = saved.clients
    .find((c) => c.client_id === "guestlist-bff")
    ?.grants?.find((g) => g.audience === "management");
  expect(grant?.scope).toContain("read:roles");
  // What a state file written before read:prompts/read:roles were seeded looks like, plus a
  // scope a developer added by hand.
  if (!grant)
    throw new Error("the seed grants guestlist-bff the Management API");
  grant.scope = [
    ...grant.scope.filter((s) => s !== "read:roles" && s !== "read:prompts"),
    "read:logs",
  ];
  const [first] = Object.entries(saved.users);
  if (!first) throw new Error("the seed has users");
  const [firstId, firstUser] = first;
  saved.users = { [firstId]: firstUser };
  writeFileSync(join(dir, "state.json"), JSON.stringify(saved));

  const upgraded = new Store({ dataDir: dir, bcryptRounds: 4 });
  expect(bffScopes(upgraded)).toEqual(
    expect.arrayContaining(["read:roles", "read:prompts", "read:logs"]),
  );
  expect(upgraded.users.list()).toHaveLength(1);
});
