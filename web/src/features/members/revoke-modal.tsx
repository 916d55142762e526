import type { Member } from "@app/bff/contract";
import { Button, Group, Modal, Text } from "@mantine/core";
import { ErrorMessage } from "../../components/error-message.tsx";

const OPEN_STATES = new Set([
  "queued",
  "importing",
  "created",
  "emailed",
  "verified",
  "failed",
  "expired",
]);

/** An open invitation is revoked; someone who already joined is removed. */
export function isInvitation(member: Member): boolean {
  return OPEN_STATES.has(member.state);
}

type Props = {
  member: Member | null;
  pending: boolean;
  error: unknown;
  onConfirm: (member: Member) => void;
  onClose: () => void;
};

export function RevokeModal({
  member,
  pending,
  error,
  onConfirm,
  onClose,
}: Props) {
  const invitation = member !== null && isInvitation(member);
  const action = invitation ? "Revoke" : "Remove";
  return (
    <Modal
      opened={member !== null}
      onClose={onClose}
      title={invitation ? "Revoke invitation?" : "Remove member?"}
      centered
      returnFocus
    >
      {member ? (
        <>
          <Text mb="md">
            {invitation
              ? `${member.email} will no longer be able to use their invitation link. The seat becomes free.`
              : `${member.email} will lose access to the app. The seat becomes free.`}
          </Text>
          {error ? <ErrorMessage error={error} /> : null}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={onClose} data-autofocus>
              Cancel
            </Button>
            <Button
              color="red"
              loading={pending}
              onClick={() => onConfirm(member)}
            >
              {action}
            </Button>
          </Group>
        </>
      ) : null}
    </Modal>
  );
}
