import { Email } from "@app/bff/contract";
import {
  Button,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorMessage } from "../../components/error-message.tsx";
import { PageLoader } from "../../components/page-loader.tsx";
import { useApiClient } from "../../lib/api-context.tsx";
import { can, useSession } from "../../lib/session.tsx";
import { supportQueries } from "./api.ts";
import { PersonCard } from "./person-card.tsx";
import { TenantsTable } from "./tenants-table.tsx";

export function SupportPage() {
  const me = useSession();
  if (!can(me, "read:all_tenants")) {
    return (
      <Stack>
        <Title order={1}>Support</Title>
        <Text c="dimmed">This page is for ExampleCo support staff.</Text>
      </Stack>
    );
  }
  return (
    <Stack gap="xl">
      <Title order={1}>Support</Title>
      <PersonSearch />
      <Tenants canManage={can(me, "manage:tenants")} />
    </Stack>
  );
}

function PersonSearch() {
  const api = useApiClient();
  const [input, setInput] = useState("");
  const [email, setEmail] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const result = useQuery(supportQueries.user(api, email));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = Email.safeParse(input);
    if (!parsed.success) {
      setInputError(
        parsed.error.issues[0]?.message ?? "Not a valid email address",
      );
      return;
    }
    setInputError(null);
    setEmail(parsed.data);
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        Find a person
      </Title>
      <form onSubmit={submit} role="search" aria-label="Find a person by email">
        <Group align="flex-end">
          <TextInput
            label="Email address"
            placeholder="someone@customer.com"
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            error={inputError}
            style={{ flex: 1 }}
          />
          <Button type="submit" loading={result.isFetching}>
            Search
          </Button>
        </Group>
      </form>
      {result.isError ? <ErrorMessage error={result.error} /> : null}
      {result.data && result.data.items.length === 0 ? (
        <Paper p="lg">
          <Text c="dimmed">Nobody with {email} in any tenant.</Text>
        </Paper>
      ) : null}
      {result.data?.items.map((person) => (
        <PersonCard key={person.userId} person={person} />
      ))}
    </Stack>
  );
}

function Tenants({ canManage }: { canManage: boolean }) {
  const api = useApiClient();
  const tenants = useQuery(supportQueries.tenants(api));
  return (
    <Stack>
      <Title order={2} size="h3">
        Tenants
      </Title>
      {tenants.isError ? <ErrorMessage error={tenants.error} /> : null}
      {tenants.isPending ? <PageLoader label="Loading tenants" /> : null}
      {tenants.data ? (
        <Paper>
          <TenantsTable tenants={tenants.data.items} canManage={canManage} />
        </Paper>
      ) : null}
    </Stack>
  );
}
