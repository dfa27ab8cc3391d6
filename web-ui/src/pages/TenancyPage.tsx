import { Anchor, Badge, Button, Group, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { isForbidden } from '../api/client';
import { fetchTenancyGroups, fetchTenancyPractices } from '../api/tenancy';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { type TenancyAction, TenancyDialog } from '../components/TenancyDialogs';
import { decommissionedLine, type GroupRow, groupRows } from '../lib/tenancy';
import { formatAbsolute } from '../lib/time';
import { tenancyKeys } from '../api/queryKeys';

/** /admin/groups: a provider admin's groups and practices: create, rename, move, archive, decommission. */
export function TenancyPage() {
  const [showArchived, setShowArchived] = useState(false);
  const [action, setAction] = useState<TenancyAction | null>(null);
  const groups = useQuery({ queryKey: tenancyKeys.groups, queryFn: ({ signal }) => fetchTenancyGroups(signal) });
  const practices = useQuery({
    queryKey: tenancyKeys.practices,
    queryFn: ({ signal }) => fetchTenancyPractices(signal),
  });

  useEffect(() => {
    document.title = 'Groups and practices · Rampart';
  }, []);

  const failed = groups.error ?? practices.error;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Groups and practices</Title>
        <Group gap="md">
          <Switch
            label="Show archived groups and decommissioned practices"
            checked={showArchived}
            onChange={(e) => setShowArchived(e.currentTarget.checked)}
            data-testid="show-archived"
          />
          <Button onClick={() => setAction({ kind: 'new-group' })} data-testid="new-group-button">
            New group
          </Button>
        </Group>
      </Group>
      {groups.isPending || practices.isPending ? (
        <LoadingState label="Loading the groups and practices…" />
      ) : failed ? (
        isForbidden(failed) ? (
          <Text role="alert">{failed.message}</Text>
        ) : (
          <ErrorState
            title="Could not load the groups and practices"
            error={failed}
            onRetry={() => void Promise.all([groups.refetch(), practices.refetch()])}
            retrying={groups.isFetching || practices.isFetching}
          />
        )
      ) : (
        <GroupsTable rows={groupRows(groups.data ?? [], practices.data ?? [], showArchived)} onAction={setAction} />
      )}
      <TenancyDialog action={action} groups={groups.data ?? []} onClose={() => setAction(null)} />
    </Stack>
  );
}

function GroupsTable({ rows, onAction }: { rows: GroupRow[]; onAction: (action: TenancyAction) => void }) {
  if (rows.length === 0) {
    return <Text c="dimmed">No groups yet. Create one, then add its practices.</Text>;
  }
  return (
    <Table striped withTableBorder aria-label="Groups and practices">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Time zone / state</Table.Th>
          <Table.Th>Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.flatMap(({ group, practices, livePractices }) => {
          const archived = !!group.archivedAt;
          const header = (
            <Table.Tr key={group.id} data-testid="group-row" data-archived={archived}>
              <Table.Td>
                <Text fw={600}>{group.name}</Text>
                <Text size="xs" c="dimmed">
                  {livePractices.length} live practice{livePractices.length === 1 ? '' : 's'}
                </Text>
              </Table.Td>
              <Table.Td>
                {archived ? (
                  <Badge
                    color="gray"
                    title={`Archived on ${formatAbsolute(group.archivedAt)} by ${group.archivedBy ?? 'someone'}`}
                  >
                    Archived
                  </Badge>
                ) : (
                  group.timeZone
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {archived ? (
                    <Button size="xs" variant="default" onClick={() => onAction({ kind: 'unarchive-group', group })}>
                      Un-archive
                    </Button>
                  ) : (
                    <>
                      <Button size="xs" variant="light" onClick={() => onAction({ kind: 'add-practice', group })}>
                        Add a practice
                      </Button>
                      <Button size="xs" variant="default" onClick={() => onAction({ kind: 'edit-group', group })}>
                        Rename / time zone
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        onClick={() => onAction({ kind: 'archive-group', row: { group, practices, livePractices } })}
                      >
                        Archive
                      </Button>
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
          const lines = practices.map((practice) => {
            const gone = decommissionedLine(practice);
            return (
              <Table.Tr key={practice.id} data-testid="practice-row" data-decommissioned={!!gone}>
                <Table.Td pl="xl">
                  <Anchor component={Link} to={`/practices/${encodeURIComponent(practice.id)}`}>
                    {practice.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {gone ? (
                    <Text size="sm" c="dimmed">
                      {gone}
                    </Text>
                  ) : (
                    <Text size="sm">Live</Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {!gone && (
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => onAction({ kind: 'rename-practice', practice })}
                      >
                        Rename
                      </Button>
                      <Button size="xs" variant="default" onClick={() => onAction({ kind: 'move-practice', practice })}>
                        Move
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => onAction({ kind: 'decommission-practice', practice })}
                      >
                        Decommission
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          });
          return [header, ...lines];
        })}
      </Table.Tbody>
    </Table>
  );
}
