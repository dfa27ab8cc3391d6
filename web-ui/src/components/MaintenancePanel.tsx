import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  cancelMaintenance,
  endMaintenance,
  fetchMaintenanceWindows,
  type MaintenanceTarget,
  type MaintenanceWindow,
  scheduleMaintenance,
} from '../api/maintenance';
import { fieldErrorsOf } from '../lib/fieldErrors';
import { coveringWindow, formatWindowTime, localInputToIso, maintenanceLine } from '../lib/maintenance';
import { ErrorState, LoadingState } from './QueryStates';
import { maintenanceKeys } from '../api/queryKeys';

const EMPTY = { startsAt: '', endsAt: '', reason: '' };

/**
 * The "Maintenance" panel of a practice or group page: its active and upcoming windows (a practice's include its group's),
 * and, for those who may (provider staff, group managers), a form to schedule one and buttons to end one early or cancel one
 * that has not started. Nothing about the practice is emailed during a window; what still fails at its end is.
 */
export function MaintenancePanel({ target, mayEdit }: { target: MaintenanceTarget; mayEdit: boolean }) {
  const queryClient = useQueryClient();
  const windows = useQuery({
    queryKey: maintenanceKeys.of(target),
    queryFn: ({ signal }) => fetchMaintenanceWindows(target, signal),
    refetchInterval: 60_000,
  });
  const [form, setForm] = useState(EMPTY);
  const changed = () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
  const schedule = useMutation({
    mutationFn: () =>
      scheduleMaintenance({
        ...target,
        startsAt: localInputToIso(form.startsAt) ?? (form.startsAt.trim() || undefined),
        endsAt: localInputToIso(form.endsAt) ?? form.endsAt,
        reason: form.reason,
      }),
    onSuccess: async () => {
      setForm(EMPTY);
      await changed();
    },
  });
  const end = useMutation({ mutationFn: (w: MaintenanceWindow) => endMaintenance(w.id), onSuccess: changed });
  const cancel = useMutation({ mutationFn: (w: MaintenanceWindow) => cancelMaintenance(w.id), onSuccess: changed });
  const errors = fieldErrorsOf(schedule.error);
  const actionError = end.error ?? cancel.error;

  return (
    <Stack gap="sm" data-testid="maintenance-panel">
      <Text size="sm" c="dimmed">
        During a maintenance window nobody is emailed (and no webhook is called) about what fails; whatever still fails
        when it ends is emailed then, and what failed and recovered inside it is not emailed at all.
      </Text>
      {windows.isPending ? (
        <LoadingState label="Loading the maintenance windows…" />
      ) : windows.isError ? (
        <ErrorState
          title="Could not load the maintenance windows"
          error={windows.error}
          onRetry={() => void windows.refetch()}
        />
      ) : windows.data.length === 0 ? (
        <Text c="dimmed">No maintenance window is active or planned.</Text>
      ) : (
        <Table verticalSpacing="xs" aria-label="Maintenance windows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">State</Table.Th>
              <Table.Th scope="col">When</Table.Th>
              <Table.Th scope="col">Covers</Table.Th>
              <Table.Th scope="col">Why</Table.Th>
              <Table.Th scope="col">By</Table.Th>
              {mayEdit && <Table.Th scope="col">Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {windows.data.map((w) => (
              <Table.Tr key={w.id} data-testid="maintenance-window">
                <Table.Td>
                  <Badge color={w.state === 'ACTIVE' ? 'orange.8' : 'gray.7'} variant="outline">
                    {w.state === 'ACTIVE' ? 'Active' : 'Upcoming'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {formatWindowTime(w.startsAt)} – {formatWindowTime(w.endsAt)}
                </Table.Td>
                <Table.Td>{w.practiceId ? w.practiceName : `Every practice of ${w.groupName ?? 'the group'}`}</Table.Td>
                <Table.Td>{w.reason}</Table.Td>
                <Table.Td>{w.createdBy}</Table.Td>
                {mayEdit && (
                  <Table.Td>
                    {w.state === 'ACTIVE' ? (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => end.mutate(w)}
                        loading={end.isPending && end.variables?.id === w.id}
                      >
                        End now
                      </Button>
                    ) : (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => cancel.mutate(w)}
                        loading={cancel.isPending && cancel.variables?.id === w.id}
                      >
                        Cancel
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {actionError && (
        <Alert color="red" role="alert" title="Nothing was changed">
          {actionError.message}
        </Alert>
      )}
      {mayEdit && (
        <form
          aria-label="Schedule a maintenance window"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            schedule.mutate();
          }}
        >
          <Stack gap="xs">
            {schedule.error instanceof Error && (
              <Alert color="red" role="alert">
                {schedule.error.message}
              </Alert>
            )}
            <Group align="start" gap="sm" wrap="wrap">
              <TextInput
                type="datetime-local"
                label="Starts"
                description="Empty: now"
                value={form.startsAt}
                error={errors.startsAt}
                onChange={(e) => setForm({ ...form, startsAt: e.currentTarget.value })}
              />
              <TextInput
                type="datetime-local"
                label="Ends"
                description="At most 14 days later"
                required
                value={form.endsAt}
                error={errors.endsAt}
                onChange={(e) => setForm({ ...form, endsAt: e.currentTarget.value })}
              />
            </Group>
            <Textarea
              label="Why"
              placeholder="e.g. replacing the NAS"
              required
              maxLength={500}
              rows={2}
              value={form.reason}
              error={errors.reason}
              onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })}
            />
            {(errors.practiceId || errors.groupId) && (
              <Text c="red.8" size="sm">
                {errors.practiceId ?? errors.groupId}
              </Text>
            )}
            <Group>
              <Button type="submit" size="xs" loading={schedule.isPending}>
                Schedule maintenance
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** "In maintenance until 17:30 (Replacing the NAS)" atop a practice's page while a window covers it; nothing otherwise. */
export function MaintenanceNotice({ practice }: { practice: { id: string; groupId: string } }) {
  const windows = useQuery({
    queryKey: maintenanceKeys.of({ practiceId: practice.id }),
    queryFn: ({ signal }) => fetchMaintenanceWindows({ practiceId: practice.id }, signal),
    refetchInterval: 60_000,
  });
  const covering = coveringWindow(Array.isArray(windows.data) ? windows.data : [], practice);
  if (!covering) return null;
  return (
    <Alert color="orange" title={maintenanceLine(covering)} data-testid="maintenance-notice">
      Nobody is emailed about this practice until then; whatever still fails when the window ends is emailed at that
      time.
    </Alert>
  );
}
