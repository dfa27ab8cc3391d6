import { Alert, Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { isForbidden } from '../api/client';
import { fetchGroups, fetchTenancyPractices } from '../api/tenancy';
import {
  changeAccess,
  fetchPeople,
  invitePerson,
  removePerson,
  resendInvitation,
  setPersonEnabled,
} from '../api/people';
import type { Person, Role } from '../api/types';
import { roleLabel, useMe } from '../auth/me';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { groupKeys, peopleKeys } from '../api/queryKeys';

/** The roles a person may give, as the server's rule has it (the server checks again). */
export function grantableRoles(role: Role | undefined): Role[] {
  if (role === 'provider-admin') return ['provider-admin', 'provider-technician', 'group-manager', 'practice-manager'];
  if (role === 'group-manager') return ['practice-manager'];
  return [];
}

/** Where a person's role reaches, in words. */
export function reachOf(person: Person): string {
  if (person.role === 'practice-manager') return person.practiceName ?? 'a practice';
  if (person.role === 'group-manager') return person.groupName ?? 'a group';
  if (person.role === 'provider-admin' || person.role === 'provider-technician') return 'Whole provider';
  return '—';
}

interface Access {
  role: Role;
  groupId: string;
  practiceId: string;
}

/** Role, group and practice pickers: the group for a group manager, the practice for a practice manager. */
function AccessFields({
  value,
  onChange,
  roles,
  errors,
}: {
  value: Access;
  onChange: (next: Access) => void;
  roles: Role[];
  errors: Record<string, string>;
}) {
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const practices = useQuery({
    // every live practice in reach, however many (not a page of the fleet)
    queryKey: peopleKeys.practices,
    queryFn: ({ signal }) => fetchTenancyPractices(signal),
    enabled: value.role === 'practice-manager',
  });
  return (
    <>
      <NativeSelect
        label="Role"
        data-testid="person-role"
        data={roles.map((r) => ({ value: r, label: roleLabel(r) }))}
        value={value.role}
        onChange={(e) => onChange({ ...value, role: e.currentTarget.value as Role })}
        error={errors.role}
      />
      {value.role === 'group-manager' && (
        <NativeSelect
          label="Group"
          data-testid="person-group"
          data={[
            { value: '', label: 'Choose a group' },
            ...(groups.data ?? []).map((g) => ({ value: g.id, label: g.name })),
          ]}
          value={value.groupId}
          onChange={(e) => onChange({ ...value, groupId: e.currentTarget.value })}
          error={
            errors.groupId ?? (groups.isError ? `The groups could not be loaded: ${groups.error.message}` : undefined)
          }
        />
      )}
      {value.role === 'practice-manager' && (
        <NativeSelect
          label="Practice"
          data-testid="person-practice"
          data={[
            { value: '', label: 'Choose a practice' },
            ...(practices.data ?? [])
              .filter((p) => !p.decommissionedAt)
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((p) => ({
                value: p.id,
                label: `${p.name} (${groups.data?.find((g) => g.id === p.groupId)?.name ?? 'its group'})`,
              })),
          ]}
          value={value.practiceId}
          onChange={(e) => onChange({ ...value, practiceId: e.currentTarget.value })}
          error={
            errors.practiceId ??
            (practices.isError ? `The practices could not be loaded: ${practices.error.message}` : undefined)
          }
        />
      )}
    </>
  );
}

function accessBody(access: Access) {
  return {
    role: access.role,
    groupId: access.role === 'group-manager' && access.groupId ? access.groupId : undefined,
    practiceId: access.role === 'practice-manager' && access.practiceId ? access.practiceId : undefined,
  };
}

function InviteForm({ roles }: { roles: Role[] }) {
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [access, setAccess] = useState<Access>({
    role: roles[roles.length - 1] ?? 'practice-manager',
    groupId: '',
    practiceId: '',
  });
  const invite = useMutation({
    mutationFn: () =>
      invitePerson({
        email: email.trim(),
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        ...accessBody(access),
      }),
    onSuccess: () => {
      setEmail('');
      setFirstName('');
      setLastName('');
      void client.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
  const errors = fieldErrorsOf(invite.error);
  return (
    <form
      aria-labelledby="invite-heading"
      onSubmit={(event) => {
        event.preventDefault();
        invite.mutate();
      }}
    >
      <Stack gap="sm" maw={520}>
        <Title order={2} id="invite-heading" size="h3">
          Invite someone
        </Title>
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
          data-testid="person-email"
        />
        <Group grow>
          <TextInput
            label="First name"
            required
            value={firstName}
            onChange={(e) => setFirstName(e.currentTarget.value)}
            error={errors.firstName}
            data-testid="person-first-name"
          />
          <TextInput
            label="Last name"
            required
            value={lastName}
            onChange={(e) => setLastName(e.currentTarget.value)}
            error={errors.lastName}
            data-testid="person-last-name"
          />
        </Group>
        <AccessFields value={access} onChange={setAccess} roles={roles} errors={errors} />
        {invite.isError && (
          <Alert color="red" title="Nobody was invited" role="alert">
            {invite.error.message}
          </Alert>
        )}
        {invite.data && (
          <Alert color={invite.data.invitationSent ? 'green' : 'yellow'} role="status" data-testid="invite-result">
            {invite.data.invitationSent
              ? `${invite.data.person.name} was invited: Keycloak emailed ${invite.data.person.email} a link to set a password.`
              : invite.data.invitationProblem}
            <ContactHint person={invite.data.person} />
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={invite.isPending} data-testid="invite-button">
            Send invitation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Signing in and being emailed are two things: failure emails go to a practice's contacts, so a practice manager just
 * invited is not emailed until someone adds them there (the contacts rule says so too).
 */
function ContactHint({ person }: { person: Person }) {
  if (person.role !== 'practice-manager' || !person.practiceId) return null;
  return (
    <Text size="sm" mt={4} data-testid="invite-contact-hint">
      To email them when its backups fail, add them as a contact on the page of{' '}
      <Anchor component={Link} to={`/practices/${encodeURIComponent(person.practiceId)}`}>
        {person.practiceName ?? 'their practice'}
      </Anchor>
      .
    </Text>
  );
}

function PersonRow({ person, roles, isMe }: { person: Person; roles: Role[]; isMe: boolean }) {
  const client = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [access, setAccess] = useState<Access>({
    role: person.role && roles.includes(person.role) ? person.role : (roles[roles.length - 1] ?? 'practice-manager'),
    groupId: person.groupId ?? '',
    practiceId: person.practiceId ?? '',
  });
  const refresh = () => void client.invalidateQueries({ queryKey: peopleKeys.all });
  const change = useMutation({
    mutationFn: () => changeAccess(person.id, accessBody(access)),
    onSuccess: () => {
      setEditing(false);
      refresh();
    },
  });
  const toggle = useMutation({ mutationFn: () => setPersonEnabled(person.id, !person.enabled), onSuccess: refresh });
  const remove = useMutation({ mutationFn: () => removePerson(person.id), onSuccess: refresh });
  const resend = useMutation({ mutationFn: () => resendInvitation(person.id) });
  const manageable = !isMe && person.role !== null && roles.includes(person.role);
  const failure = change.error ?? toggle.error ?? remove.error ?? resend.error;
  return (
    <Table.Tr data-testid="person-row" data-username={person.username}>
      <Table.Td>
        <Text fw={500}>{person.name}</Text>
        <Text size="sm" c="dimmed">
          {person.email ?? person.username}
        </Text>
      </Table.Td>
      <Table.Td>{roleLabel(person.role) || 'No Rampart role'}</Table.Td>
      <Table.Td>{reachOf(person)}</Table.Td>
      <Table.Td>
        {!person.enabled ? (
          <Badge color="gray">Disabled</Badge>
        ) : person.invitationPending ? (
          <Badge color="yellow">Invited</Badge>
        ) : (
          <Badge color="green">Active</Badge>
        )}
      </Table.Td>
      <Table.Td>
        {isMe ? (
          <Text size="sm" c="dimmed">
            You
          </Text>
        ) : (
          manageable && (
            <Stack gap={6}>
              {editing ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    change.mutate();
                  }}
                >
                  <Stack gap={6}>
                    <AccessFields
                      value={access}
                      onChange={setAccess}
                      roles={roles}
                      errors={fieldErrorsOf(change.error)}
                    />
                    <Group gap="xs">
                      <Button size="xs" type="submit" loading={change.isPending}>
                        Save
                      </Button>
                      <Button size="xs" variant="default" onClick={() => setEditing(false)}>
                        Cancel
                      </Button>
                    </Group>
                  </Stack>
                </form>
              ) : (
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                    Change role
                  </Button>
                  <Button size="xs" variant="default" loading={toggle.isPending} onClick={() => toggle.mutate()}>
                    {person.enabled ? 'Disable' : 'Enable'}
                  </Button>
                  {person.invitationPending && (
                    <Button size="xs" variant="default" loading={resend.isPending} onClick={() => resend.mutate()}>
                      {resend.isSuccess ? 'Sent again' : 'Resend invitation'}
                    </Button>
                  )}
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    loading={remove.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove ${person.name}? They will no longer be able to sign in.`))
                        remove.mutate();
                    }}
                  >
                    Remove
                  </Button>
                </Group>
              )}
              {failure && (
                <Text size="sm" c="red" role="alert">
                  {failure.message}
                </Text>
              )}
            </Stack>
          )
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** /people: who may sign in to the caller's provider (admins) or group (group managers), and inviting more. */
export function PeoplePage() {
  const me = useMe();
  const people = useQuery({ queryKey: peopleKeys.all, queryFn: ({ signal }) => fetchPeople(signal) });
  const roles = grantableRoles(me.data?.role);

  useEffect(() => {
    document.title = 'People · Rampart';
  }, []);

  return (
    <Stack gap="lg">
      <Title order={1}>People</Title>
      {roles.length > 0 && <InviteForm roles={roles} />}
      {people.isPending ? (
        <LoadingState label="Loading people…" />
      ) : people.isError ? (
        isForbidden(people.error) ? (
          <Text role="alert">{people.error.message}</Text>
        ) : (
          <ErrorState
            title="Could not load the people"
            error={people.error}
            onRetry={() => void people.refetch()}
            retrying={people.isFetching}
          />
        )
      ) : (
        <Table striped aria-label="People">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Person</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Reach</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.data.map((person) => (
              <PersonRow key={person.id} person={person} roles={roles} isMe={person.username === me.data?.username} />
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
