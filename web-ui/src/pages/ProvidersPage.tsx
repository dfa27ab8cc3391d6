import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isForbidden } from '../api/client';
import {
  createProvider,
  fetchProviderAdmins,
  fetchProviders,
  inviteProviderAdmin,
  renameProvider,
} from '../api/people';
import type { ProviderSummary } from '../api/types';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { peopleKeys } from '../api/queryKeys';

function ProviderAdmins({ provider }: { provider: ProviderSummary }) {
  const client = useQueryClient();
  const admins = useQuery({
    queryKey: peopleKeys.admins(provider.id),
    queryFn: ({ signal }) => fetchProviderAdmins(provider.id, signal),
  });
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      inviteProviderAdmin(provider.id, { email: email.trim(), firstName: firstName.trim(), lastName: lastName.trim() }),
    onSuccess: () => {
      setEmail('');
      setFirstName('');
      setLastName('');
      void client.invalidateQueries({ queryKey: peopleKeys.admins(provider.id) });
    },
  });
  const errors = fieldErrorsOf(invite.error);
  return (
    <Stack gap="xs">
      {admins.isError ? (
        <Text size="sm" c="red" role="alert">
          {admins.error.message}
        </Text>
      ) : (
        <Group gap="xs">
          {(admins.data ?? []).length === 0 && (
            <Text size="sm" c="dimmed">
              No admin yet
            </Text>
          )}
          {(admins.data ?? []).map((a) => (
            <Badge key={a.id} variant="light" color={a.invitationPending ? 'yellow' : 'blue'}>
              {a.name}
              {a.invitationPending ? ' (invited)' : ''}
            </Badge>
          ))}
        </Group>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Group gap="xs" align="flex-start">
          <TextInput
            size="xs"
            placeholder="Admin's email"
            type="email"
            required
            value={email}
            aria-label="Admin's email"
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
          />
          <TextInput
            size="xs"
            placeholder="First name"
            required
            value={firstName}
            aria-label="First name"
            onChange={(e) => setFirstName(e.currentTarget.value)}
            error={errors.firstName}
          />
          <TextInput
            size="xs"
            placeholder="Last name"
            required
            value={lastName}
            aria-label="Last name"
            onChange={(e) => setLastName(e.currentTarget.value)}
            error={errors.lastName}
          />
          <Button size="xs" type="submit" loading={invite.isPending}>
            Invite admin
          </Button>
        </Group>
      </form>
      {invite.isError && !errors.email && (
        <Text size="sm" c="red" role="alert">
          {invite.error.message}
        </Text>
      )}
      {invite.data && (
        <Text size="sm" c={invite.data.invitationSent ? 'green' : 'orange'} role="status">
          {invite.data.invitationSent
            ? `Keycloak emailed ${invite.data.person.email} a link to set a password.`
            : invite.data.invitationProblem}
        </Text>
      )}
    </Stack>
  );
}

function ProviderRow({ provider }: { provider: ProviderSummary }) {
  const client = useQueryClient();
  const [name, setName] = useState(provider.name);
  const [renaming, setRenaming] = useState(false);
  const rename = useMutation({
    mutationFn: () => renameProvider(provider.id, name.trim()),
    onSuccess: () => {
      setRenaming(false);
      void client.invalidateQueries({ queryKey: peopleKeys.providers });
    },
  });
  return (
    <Table.Tr data-testid="provider-row">
      <Table.Td>
        {renaming ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate();
            }}
          >
            <Group gap="xs" align="flex-start">
              <TextInput
                size="xs"
                value={name}
                aria-label="Provider name"
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldErrorsOf(rename.error).name ?? (rename.isError ? rename.error.message : undefined)}
              />
              <Button size="xs" type="submit" loading={rename.isPending}>
                Save
              </Button>
              <Button size="xs" variant="default" onClick={() => setRenaming(false)}>
                Cancel
              </Button>
            </Group>
          </form>
        ) : (
          <Group gap="xs">
            <Text fw={500}>{provider.name}</Text>
            <Button size="xs" variant="subtle" onClick={() => setRenaming(true)}>
              Rename
            </Button>
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        <ProviderAdmins provider={provider} />
      </Table.Td>
    </Table.Tr>
  );
}

/** /providers: the platform operator's page: every provider of the installation, and their admins. */
export function ProvidersPage() {
  const client = useQueryClient();
  const providers = useQuery({ queryKey: peopleKeys.providers, queryFn: ({ signal }) => fetchProviders(signal) });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => createProvider(name.trim()),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: peopleKeys.providers });
    },
  });

  useEffect(() => {
    document.title = 'Providers · Rampart';
  }, []);

  return (
    <Stack gap="lg">
      <Title order={1}>Providers</Title>
      <Text c="dimmed" size="sm">
        Create a provider, then invite its first admin: Keycloak emails them a link to set a password, and they invite
        everyone else of their provider. You see no provider's fleet, alerts or reports.
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-start">
          <TextInput
            label="New provider"
            placeholder="Provider's name"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fieldErrorsOf(create.error).name}
            data-testid="provider-name"
          />
          <Button mt={24} type="submit" loading={create.isPending}>
            Create provider
          </Button>
        </Group>
        {create.isError && !fieldErrorsOf(create.error).name && (
          <Alert color="red" role="alert" mt="sm">
            {create.error.message}
          </Alert>
        )}
      </form>
      {providers.isPending ? (
        <LoadingState label="Loading providers…" />
      ) : providers.isError ? (
        isForbidden(providers.error) ? (
          <Text role="alert">{providers.error.message}</Text>
        ) : (
          <ErrorState
            title="Could not load the providers"
            error={providers.error}
            onRetry={() => void providers.refetch()}
            retrying={providers.isFetching}
          />
        )
      ) : (
        <Table aria-label="Providers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Admins</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {providers.data.map((p) => (
              <ProviderRow key={p.id} provider={p} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
