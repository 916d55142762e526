// Invite one person, as a member or as a co-admin: the same zod schema the BFF validates with,
// through react-hook-form.
import { PersonRow } from "@app/bff/contract";
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, NativeSelect, Stack, TextInput } from "@mantine/core";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { ErrorMessage } from "../../components/error-message.tsx";
import { ROLE_OPTIONS } from "../../components/roles.tsx";

type FormInput = z.input<typeof PersonRow>;
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

type Props = {
  pending: boolean;
  error: unknown;
  onSubmit: (row: PersonRow) => void;
  onCancel: () => void;
};

export function InviteForm({ pending, error, onSubmit, onCancel }: Props) {
  const { register, handleSubmit, formState } = useForm<
    FormInput,
    unknown,
    PersonRow
  >({
    resolver: zodResolver(PersonRow),
    defaultValues: { role: "member" },
  });
  const { errors } = formState;
  return (
    <form onSubmit={(e) => void handleSubmit(onSubmit)(e)} noValidate>
      <Stack>
        <TextInput
          label="Email"
          type="email"
          required
          autoComplete="off"
          data-autofocus
          error={errors.email?.message}
          {...register("email")}
        />
        <Group grow>
          <TextInput
            label="First name"
            error={errors.givenName?.message}
            {...register("givenName", { setValueAs: blankToUndefined })}
          />
          <TextInput
            label="Last name"
            error={errors.familyName?.message}
            {...register("familyName", { setValueAs: blankToUndefined })}
          />
        </Group>
        <NativeSelect
          label="Role"
          description="An admin can invite and remove people and change roles."
          data={ROLE_OPTIONS}
          error={errors.role?.message}
          {...register("role")}
        />
        {error ? <ErrorMessage error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            Send invitation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
