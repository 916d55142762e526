// Promote or demote one person of the members table, after confirmation. Owns its mutation, so a
// new person opened in the dialog starts without the previous one's error.
import type { Member } from "@app/bff/contract";
import { notifications } from "@mantine/notifications";
import { RoleChangeModal } from "../../components/role-change-modal.tsx";
import { useChangeRole } from "./api.ts";

type Props = {
  tenantId: string;
  tenantName: string;
  /** the signed-in user's id: demoting yourself gets its own sentence */
  selfId: string;
  member: Member | null;
  onClose: () => void;
};

export function MemberRoleDialog({
  tenantId,
  tenantName,
  selfId,
  member,
  onClose,
}: Props) {
  const changeRole = useChangeRole(tenantId);
  const to = member?.role === "admin" ? "member" : "admin";
  const confirm = () => {
    if (member === null) return;
    changeRole.mutate(
      { userId: member.userId, role: to },
      {
        onSuccess: () => {
          onClose();
          notifications.show({
            color: "green",
            message: `${member.email} is now ${to === "admin" ? "an admin" : "a member"}`,
          });
        },
      },
    );
  };
  const close = () => {
    changeRole.reset();
    onClose();
  };
  return (
    <RoleChangeModal
      change={
        member && {
          email: member.email,
          to,
          tenantName,
          self: member.userId === selfId,
        }
      }
      pending={changeRole.isPending}
      error={changeRole.error}
      onConfirm={confirm}
      onClose={close}
    />
  );
}
