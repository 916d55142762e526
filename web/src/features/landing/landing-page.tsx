import { useAuth0 } from "@auth0/auth0-react";
import {
  Alert,
  Badge,
  Button,
  Container,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { ColorSchemeToggle } from "../../components/color-scheme-toggle.tsx";

const POINTS = [
  {
    title: "Bring the list you have",
    text: "Google Workspace, Microsoft Entra, Okta, Auth0 or HR exports — as they are.",
  },
  {
    title: "See before you send",
    text: "Every row checked against live seats, members and domains before anyone is invited.",
  },
  {
    title: "Invite-only, for real",
    text: "Sign-ups stay off. People join only through a link you can resend or revoke.",
  },
];

/** What a signed-out visitor sees; also shown for deep links until they sign in. */
export function LandingPage({ returnTo = "/" }: { returnTo?: string }) {
  const { loginWithRedirect, error } = useAuth0();
  const signIn = () => void loginWithRedirect({ appState: { returnTo } });
  return (
    <Container size="md" py={48}>
      <Group justify="space-between" mb={48}>
        <Text fw={800} size="xl">
          Guestlist
        </Text>
        <ColorSchemeToggle />
      </Group>
      <Stack gap="lg" align="flex-start">
        <Badge variant="light">Invite-only onboarding on Auth0</Badge>
        <Title order={1} fz={44} lh={1.1}>
          Invite your whole company in minutes — and only them.
        </Title>
        <Text size="lg" c="dimmed" maw={620}>
          Upload the people list you already have, preview every row against
          your seats, and send invitations that survive mail scanners. Resend,
          revoke and watch progress live.
        </Text>
        {error ? (
          <Alert color="red" title="Sign-in did not complete" role="alert">
            {error.message}
          </Alert>
        ) : null}
        <Button size="lg" onClick={signIn}>
          Sign in
        </Button>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mt={56}>
        {POINTS.map((p) => (
          <Paper key={p.title} p="lg">
            <Text fw={600} mb={4}>
              {p.title}
            </Text>
            <Text size="sm" c="dimmed">
              {p.text}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <List size="sm" c="dimmed" mt="xl">
        <List.Item>
          Customer admins: manage seats, import people, resend and revoke
          invitations.
        </List.Item>
        <List.Item>
          Support: look anyone up across customers and send password or
          verification links.
        </List.Item>
      </List>
    </Container>
  );
}
