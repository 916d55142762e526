// Confirms a promotion to admin or a demotion to member, on the members page and in the support
// console. A refusal is explained from the error's code and details: the last admin of a tenant
// cannot become a member until someone else is an admin.
import type { TenantRole } from "@app/bff/contract";
import { Button, Group, Modal, Text } from "@mantine/core";
import { isApiError } from "../lib/api-error.ts";
import { ErrorMessage } from "./error-message.tsx";

export type RoleChange = {
  email: string;
  /** the role being granted */
  to: TenantRole;
  /** the tenant's name, for the sentence */
  tenantName: string;
  /** the signed-in person changes their own role */
  self: boolean;
};

type Props = {
  change: RoleChange | null;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
};

function isLastAdmin(error: unknown): boolean {
  return (
    isApiError(error) &&
    error.code === "conflict" &&
    typeof error.details === "object" &&
    error.details !== null &&
    (error.details as { reason?: unknown }).reason === "last_admin"
  );
}

function explain(change: RoleChange): string {
  if (change.to === "admin")
    return `${change.email} will be able to invite, resend and remove people in ${change.tenantName}, and to change roles. It applies from their next sign-in.`;
  if (change.self)
    return `You will no longer be able to invite or remove people in ${change.tenantName} once you sign in again.`;
  return `${change.email} will no longer be able to invite or remove people in ${change.tenantName}. It applies from their next sign-in.`;
}

export function RoleChangeModal({
  change,
  pending,
  error,
  onConfirm,
  onClose,
}: Props) {
  const title =
    change === null
      ? ""
      : change.to === "admin"
        ? "Make admin?"
        : "Make member?";
  return (
    <Modal
      opened={change !== null}
      onClose={onClose}
      title={title}
      centered
      returnFocus
    >
      {change ? (
        <>
          <Text mb="md">{explain(change)}</Text>
          {error ? (
            <ErrorMessage
              error={error}
              title={
                isLastAdmin(error)
                  ? `${change.tenantName} needs at least one admin`
                  : undefined
              }
            />
          ) : null}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={onClose} data-autofocus>
              Cancel
            </Button>
            <Button loading={pending} onClick={onConfirm}>
              {change.to === "admin" ? "Make admin" : "Make member"}
            </Button>
          </Group>
        </>
      ) : null}
    </Modal>
  );
}
