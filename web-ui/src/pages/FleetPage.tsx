import { Anchor, Button, Group, Pagination, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchFleetPage } from '../api/fleet';
import { fetchActiveMaintenance } from '../api/maintenance';
import type { Status } from '../api/types';
import { useIsProviderAdmin } from '../auth/me';
import { AddPracticeButton } from '../components/AddPracticeButton';
import { FleetTable } from '../components/FleetTable';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import {
  FLEET_PAGE_SIZE,
  FLEET_SORTS,
  type FleetFilters,
  readFilters,
  toQuery,
  writeFilters,
} from '../lib/fleetFilters';
import { RULES } from '../lib/rules';
import { STATUS_COLOR, STATUS_LABEL, STATUS_ORDER } from '../lib/status';
import { useNow } from '../lib/useNow';
import { fleetKeys, maintenanceKeys } from '../api/queryKeys';

export const FLEET_REFETCH_MS = 15_000;

export function FleetPage() {
  const now = useNow();
  const isAdmin = useIsProviderAdmin();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const [search, setSearch] = useState(filters.q);

  const update = (change: Partial<FleetFilters>) =>
    setParams(writeFilters({ ...filters, page: 1, ...change }), { replace: true });
  // the address follows the typing 300 ms after the last key; the callback is the latest render's, so
  // it keeps the other filters as they are then
  const searchFor = useDebouncedCallback((q: string) => {
    if (q.trim() !== filters.q.trim()) update({ q });
  }, 300);

  useEffect(() => {
    document.title = 'Fleet · Rampart';
  }, []);

  const query = toQuery(filters);
  const fleet = useQuery({
    queryKey: fleetKeys.page(query),
    queryFn: ({ signal }) => fetchFleetPage(query, signal),
    refetchInterval: FLEET_REFETCH_MS,
    placeholderData: keepPreviousData,
  });
  const maintenance = useQuery({
    queryKey: maintenanceKeys.active,
    queryFn: ({ signal }) => fetchActiveMaintenance(signal),
    refetchInterval: FLEET_REFETCH_MS,
  });

  const data = fleet.data;
  const filtered = Boolean(filters.state || filters.groupId || filters.rule || filters.q);
  const pages = data ? Math.max(1, Math.ceil(data.total / FLEET_PAGE_SIZE)) : 1;
  const first = data && data.total > 0 ? (filters.page - 1) * FLEET_PAGE_SIZE + 1 : 0;
  const last = data ? Math.min(data.total, filters.page * FLEET_PAGE_SIZE) : 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1} id="fleet-heading">
          Fleet
        </Title>
        {isAdmin && fleet.data && fleet.data.groups.length > 0 && <AddPracticeButton groups={fleet.data.groups} />}
      </Group>
      {fleet.isPending ? (
        <LoadingState label="Loading practices…" />
      ) : fleet.isError && !data ? (
        <ErrorState
          title="Could not load the fleet"
          error={fleet.error}
          onRetry={() => void fleet.refetch()}
          retrying={fleet.isFetching}
        />
      ) : data ? (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} role="group" aria-label="Practices by state">
            {STATUS_ORDER.map((status: Status) => (
              <Button
                key={status}
                variant={filters.state === status ? 'filled' : 'outline'}
                color={STATUS_COLOR[status]}
                size="lg"
                aria-pressed={filters.state === status}
                data-testid={`count-${status}`}
                onClick={() => update({ state: filters.state === status ? null : status })}
              >
                {data.counts[status] ?? 0} {STATUS_LABEL[status].toLowerCase()}
              </Button>
            ))}
          </SimpleGrid>
          <Group align="end" gap="sm" wrap="wrap">
            <TextInput
              label="Search"
              placeholder="Practice or group"
              maxLength={200}
              value={search}
              onChange={(event) => {
                setSearch(event.currentTarget.value);
                searchFor(event.currentTarget.value);
              }}
              w={220}
            />
            <Select
              label="Group"
              placeholder="Every group"
              clearable
              data={data.groups.map((g) => ({ value: g.id, label: g.name }))}
              value={filters.groupId}
              onChange={(groupId) => update({ groupId })}
              w={220}
            />
            <Select
              label="Rule not passing"
              placeholder="Any rule"
              clearable
              data={RULES.map((r) => ({ value: r.id, label: r.title }))}
              value={filters.rule}
              onChange={(rule) => update({ rule })}
              w={260}
            />
            <Select
              label="Sort"
              data={FLEET_SORTS.map((s) => ({ value: s.value, label: s.label }))}
              value={filters.sort}
              onChange={(sort) => update({ sort: (sort as FleetFilters['sort']) ?? 'group' })}
              allowDeselect={false}
              w={200}
            />
          </Group>
          <Group justify="space-between" align="baseline">
            <Text fw={500} aria-live="polite" data-testid="fleet-summary">
              {data.total === 0 ? (
                filtered ? (
                  'No practice matches these filters'
                ) : (
                  <EmptyFleet isAdmin={isAdmin} groups={data.groups.length} />
                )
              ) : (
                `Showing ${first}–${last} of ${data.total} ${data.total === 1 ? 'practice' : 'practices'}`
              )}
            </Text>
            <Text size="sm" c="dimmed">
              Updated <RelativeTime value={data.generatedAt} now={now} />
              {fleet.isRefetchError ? ' · the last refresh failed, retrying' : ''}
            </Text>
          </Group>
          {data.total > 0 && (
            // the previous page stays on screen, dimmed, until the one asked for arrives
            <div
              aria-busy={fleet.isPlaceholderData}
              data-testid="fleet-results"
              style={{ opacity: fleet.isPlaceholderData ? 0.55 : 1 }}
            >
              <FleetTable
                practices={data.practices}
                now={now}
                groupHeaders={filters.sort === 'group'}
                labelledBy="fleet-heading"
                maintenance={Array.isArray(maintenance.data) ? maintenance.data : []}
              />
            </div>
          )}
          {pages > 1 && (
            <Pagination
              total={pages}
              value={filters.page}
              onChange={(page) => setParams(writeFilters({ ...filters, page }), { replace: true })}
              aria-label="Pages of practices"
            />
          )}
        </>
      ) : null}
    </Stack>
  );
}

/**
 * What an empty fleet tells a person to do first: a new provider has no group yet, and a practice can only be added to
 * a group (the groups page); with a group, a practice is added here and its page shows the agent's install command.
 */
export function EmptyFleet({ isAdmin, groups }: { isAdmin: boolean; groups: number }) {
  if (!isAdmin) return <>No practices yet: a provider admin adds them and installs their agents.</>;
  if (groups === 0) {
    return (
      <>
        No practices yet. Start with a group on{' '}
        <Anchor component={Link} to="/admin/groups">
          Groups and practices
        </Anchor>
        , then add its practices and install their agents.
      </>
    );
  }
  return <>No practices yet: add a practice, then install its agent with the command its page shows.</>;
}
