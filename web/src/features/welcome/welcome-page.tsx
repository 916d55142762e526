// What a person without admin or support permissions sees after signing in (an invitee who just
// accepted): the organisation they are in, not the marketing page and not an error.
import { Paper, Stack, Text, Title } from "@mantine/core";
import type { Me } from "@app/bff/contract";

export function WelcomePage({ me, email }: { me: Me; email: string | null }) {
  const tenant = me.tenant?.name;
  return (
    <Paper p="xl" maw={640}>
      <Stack gap="sm">
        <Title order={1} size="h2">
          {tenant ? `You're in ${tenant}` : "You're signed in"}
        </Title>
        {email ? (
          <Text>
            Signed in as <strong>{email}</strong>.
          </Text>
        ) : null}
        <Text c="dimmed">
          {tenant
            ? `Your account belongs to ${tenant}. Your administrator at ${tenant} manages who has access.`
            : "Your account does not belong to an organisation yet. Ask the person who invited you."}
        </Text>
      </Stack>
    </Paper>
  );
}
