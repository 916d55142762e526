// The two roles of a tenant, shown the same way everywhere: the members table, the support
// console's person card, the import preview and progress, and the invite form.
import { Badge } from "@mantine/core";

/** The contract's roles: an admin holds Auth0's "Customer admin" role, a member holds none. */
export type Role = "member" | "admin";

export const ROLE_LABELS: Record<Role, string> = {
  member: "Member",
  admin: "Admin",
};

export const ROLE_OPTIONS: { value: Role; label: string }[] = [
  { value: "member", label: ROLE_LABELS.member },
  { value: "admin", label: ROLE_LABELS.admin },
];

export function isRole(value: unknown): value is Role {
  return value === "member" || value === "admin";
}

export function RoleBadge({ role }: { role: Role }) {
  return (
    // light variants of theme.ts's contrast-fixed colours
    <Badge color={role === "admin" ? "grape" : "gray"} variant="light" radius="sm">
      {ROLE_LABELS[role]}
    </Badge>
  );
}
