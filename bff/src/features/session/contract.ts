// GET /api/me: who is signed in, their tenant and permissions. Imports only zod.
import { z } from "zod";
import { Permission } from "../../shared-contract.ts";

export const Me = z.object({
  user: z.object({
    sub: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
  }),
  tenant: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Permissions from the access token; unknown strings are dropped. */
  permissions: z.array(Permission),
});
export type Me = z.infer<typeof Me>;
