// The signed-in frame: header with tenant, user and sign out; navigation by permission; one error
// boundary and one Suspense per page. Signed-out visitors get the landing page at any path.
import { useAuth0 } from "@auth0/auth0-react";
import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  NavLink,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import {
  Navigate,
  NavLink as RouterLink,
  Outlet,
  useLocation,
} from "react-router";
import type { Me } from "@app/bff/contract";
import { ColorSchemeToggle } from "../components/color-scheme-toggle.tsx";
import { ErrorMessage } from "../components/error-message.tsx";
import { PageLoader } from "../components/page-loader.tsx";
import { ApiProvider, useApiClient } from "../lib/api-context.tsx";
import {
  can,
  sessionQueries,
  SessionContext,
  useSession,
} from "../lib/session.tsx";
import { WelcomePage } from "../features/welcome/welcome-page.tsx";
import { PageErrorBoundary } from "./error-boundary.tsx";

/** Loaded only after sign-in, so the landing page does not carry zod, the contract or the layout. */
export function SignedIn() {
  return (
    <ApiProvider>
      <Session />
    </ApiProvider>
  );
}

/**
 * "/" sends support staff to Support, admins to Members, and everybody else (an invitee who just
 * signed in) to "You're in <tenant>".
 */
export function Home() {
  const me = useSession();
  const { user } = useAuth0();
  if (me.tenant === null && can(me, "read:all_tenants"))
    return <Navigate to="/support" replace />;
  if (can(me, "read:members") || can(me, "read:all_tenants"))
    return <Navigate to="/members" replace />;
  return <WelcomePage me={me} email={me.user.email ?? user?.email ?? null} />;
}

function Session() {
  const api = useApiClient();
  const me = useQuery(sessionQueries.me(api));
  if (me.isPending) return <PageLoader label="Loading your account" />;
  if (me.isError) {
    return (
      <AppShell padding="xl">
        <AppShell.Main>
          <ErrorMessage error={me.error} />
          <SignOutButton />
        </AppShell.Main>
      </AppShell>
    );
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Layout me={me.data} />
    </SessionContext.Provider>
  );
}

function SignOutButton() {
  const { logout } = useAuth0();
  return (
    <Button
      variant="default"
      onClick={() =>
        void logout({ logoutParams: { returnTo: window.location.origin } })
      }
    >
      Sign out
    </Button>
  );
}

function Navigation({ me, onNavigate }: { me: Me; onNavigate: () => void }) {
  const links = [
    {
      to: "/members",
      label: "Members",
      show:
        (me.tenant !== null && can(me, "read:members")) ||
        can(me, "read:all_tenants"),
    },
    {
      to: "/import",
      label: "Import",
      show: me.tenant !== null && can(me, "invite:members"),
    },
    { to: "/support", label: "Support", show: can(me, "read:all_tenants") },
  ];
  return (
    <nav aria-label="Main">
      {links
        .filter((l) => l.show)
        .map((l) => (
          <NavLink
            key={l.to}
            component={RouterLink}
            to={l.to}
            label={l.label}
            onClick={onNavigate}
          />
        ))}
    </nav>
  );
}

function Layout({ me }: { me: Me }) {
  const { user } = useAuth0();
  const [opened, { toggle, close }] = useDisclosure();
  // Access tokens often carry no email; the ID token's profile does.
  const who = me.user.email ?? user?.email ?? me.user.name ?? me.user.sub;
  const location = useLocation();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={2} size="h4">
              Guestlist
            </Title>
            {me.tenant ? (
              <Badge variant="light" size="lg" tt="none">
                {me.tenant.name}
              </Badge>
            ) : (
              <Badge variant="light" color="grape" size="lg" tt="none">
                ExampleCo support
              </Badge>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {who}
            </Text>
            <ColorSchemeToggle />
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <Navigation me={me} onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <PageErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
