import { Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { fetchFleet } from '../api/client';
import { FleetTable } from '../components/FleetTable';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { countByStatus, summaryText } from '../lib/status';
import { useNow } from '../lib/useNow';

export const FLEET_REFETCH_MS = 15_000;

export function FleetPage() {
  const now = useNow();
  const fleet = useQuery({
    queryKey: ['fleet'],
    queryFn: ({ signal }) => fetchFleet(signal),
    refetchInterval: FLEET_REFETCH_MS,
  });

  useEffect(() => {
    document.title = 'Fleet · Rampart';
  }, []);

  return (
    <Stack gap="md">
      <Title order={1} id="fleet-heading">
        Fleet
      </Title>
      {fleet.isPending ? (
        <LoadingState label="Loading practices…" />
      ) : fleet.isError ? (
        <ErrorState
          title="Could not load the fleet"
          error={fleet.error}
          onRetry={() => void fleet.refetch()}
          retrying={fleet.isFetching}
        />
      ) : fleet.data.practices.length === 0 ? (
        <Text py="xl" ta="center" c="dimmed">
          No practices yet: create an enrolment token and install an agent.
        </Text>
      ) : (
        <>
          <Group justify="space-between" align="baseline">
            <Text fw={500} aria-live="polite" data-testid="fleet-summary">
              {summaryText(countByStatus(fleet.data.practices))}
            </Text>
            <Text size="sm" c="dimmed">
              Updated <RelativeTime value={fleet.data.generatedAt} now={now} />
              {fleet.isRefetchError ? ' · the last refresh failed, retrying' : ''}
            </Text>
          </Group>
          <FleetTable practices={fleet.data.practices} now={now} labelledBy="fleet-heading" />
        </>
      )}
    </Stack>
  );
}
