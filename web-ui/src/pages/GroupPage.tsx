import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { fetchGroups } from '../api/tenancy';
import { useMe } from '../auth/me';
import { MaintenancePanel } from '../components/MaintenancePanel';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { groupKeys } from '../api/queryKeys';

/** /groups/:id: a group's page (for now its maintenance windows), reached from the group headings of the fleet. */
export function GroupPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const groups = useQuery({ queryKey: groupKeys.all, queryFn: ({ signal }) => fetchGroups(signal) });
  const group = groups.data?.find((g) => g.id === id);
  // as the API allows: the provider's staff and the group's manager schedule windows (the server holds the scope)
  const mayEdit = ['provider-admin', 'provider-technician', 'group-manager'].includes(me.data?.role ?? '');
  useEffect(() => {
    document.title = `${group?.name ?? 'Group'} · Rampart`;
  }, [group?.name]);

  let body: ReactNode;
  if (groups.isPending) body = <LoadingState label="Loading the group…" />;
  else if (groups.isError)
    body = <ErrorState title="Could not load the group" error={groups.error} onRetry={() => void groups.refetch()} />;
  else if (!group) body = <Text>No such group, or not one you may see.</Text>;
  else
    body = (
      <>
        <Title order={1}>{group.name}</Title>
        <Anchor component={Link} to={`/?group=${encodeURIComponent(group.id)}`}>
          Its practices in the fleet
        </Anchor>
        <section aria-labelledby="maintenance-heading">
          <Title order={2} id="maintenance-heading" mb="xs">
            Maintenance
          </Title>
          <MaintenancePanel target={{ groupId: group.id }} mayEdit={mayEdit} />
        </section>
      </>
    );
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/">
        ← Back to fleet
      </Anchor>
      {body}
    </Stack>
  );
}
