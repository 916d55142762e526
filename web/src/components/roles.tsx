// The two roles of a tenant, shown the same way everywhere: the members table, the support
// console's person card, the import preview and progress, and the invite form.
import type { TenantRole } from "@app/bff/contract";
import { Badge } from "@mantine/core";

export const ROLE_LABELS: Record<TenantRole, string> = {
  member: "Member",
  admin: "Admin",
};

export const ROLE_OPTIONS: { value: TenantRole; label: string }[] = [
  { value: "member", label: ROLE_LABELS.member },
  { value: "admin", label: ROLE_LABELS.admin },
];

export function isRole(value: unknown): value is TenantRole {
  return value === "member" || value === "admin";
}

export function RoleBadge({ role }: { role: TenantRole }) {
  return (
    // light variants of theme.ts's contrast-fixed colours
    <Badge
      color={role === "admin" ? "grape" : "gray"}
      variant="light"
      radius="sm"
    >
      {ROLE_LABELS[role]}
    </Badge>
  );
}
