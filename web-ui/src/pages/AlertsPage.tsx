import { Anchor, Button, Group, Modal, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { acknowledgeAlert, fetchAlerts } from '../api/alerts';
import type { Alert, AlertDelivery } from '../api/types';
import { useMe } from '../auth/me';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { StatusBadge } from '../components/StatusBadge';
import { ruleTitle } from '../lib/rules';
import { formatDuration } from '../lib/time';
import { useNow } from '../lib/useNow';
import { alertKeys } from '../api/queryKeys';

const MAX_NOTE = 1000;
const ACKNOWLEDGING_ROLES = ['provider-admin', 'provider-technician', 'group-manager'];

/** The alert inbox: what is open, who is on it, and what recovered. */
export function AlertsPage() {
  const [tab, setTab] = useState<string | null>('open');
  useEffect(() => {
    document.title = 'Alerts · Rampart';
  }, []);
  return (
    <Stack gap="md">
      <Title order={1}>Alerts</Title>
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="open">Open</Tabs.Tab>
          <Tabs.Tab value="resolved">Resolved</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="open" pt="md">
          {tab === 'open' && <OpenAlerts />}
        </Tabs.Panel>
        <Tabs.Panel value="resolved" pt="md">
          {tab === 'resolved' && <ResolvedAlerts />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function OpenAlerts() {
  const now = useNow();
  const me = useMe();
  const [acknowledging, setAcknowledging] = useState<Alert | null>(null);
  const alerts = useQuery({
    queryKey: alertKeys.open,
    queryFn: ({ signal }) => fetchAlerts('open', signal),
    refetchInterval: 15_000,
  });
  const mayAcknowledge = ACKNOWLEDGING_ROLES.includes(me.data?.role ?? '');

  if (alerts.isPending) return <LoadingState label="Loading alerts…" />;
  if (alerts.isError)
    return <ErrorState title="Could not load the alerts" error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (alerts.data.length === 0)
    return <Text c="dimmed">No open alert: every practice passes its rules or nobody has been told yet.</Text>;

  const unacknowledged = alerts.data.filter((a) => a.status === 'OPEN').length;
  return (
    <>
      <Text fw={500} mb="sm" data-testid="alerts-summary">
        {alerts.data.length} open {alerts.data.length === 1 ? 'alert' : 'alerts'}, {unacknowledged} not acknowledged
      </Text>
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing="sm" aria-label="Open alerts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Level</Table.Th>
              <Table.Th scope="col">Practice</Table.Th>
              <Table.Th scope="col">What</Table.Th>
              <Table.Th scope="col">Since</Table.Th>
              <Table.Th scope="col">Who is on it</Table.Th>
              {mayAcknowledge && <Table.Th scope="col">Action</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {alerts.data.map((alert) => (
              <Table.Tr key={alert.id} data-testid="alert-row" data-alert-id={alert.id}>
                <Table.Td>
                  <StatusBadge status={alert.level} />
                </Table.Td>
                <Table.Th scope="row" fw={500}>
                  <Anchor component={Link} to={`/practices/${encodeURIComponent(alert.practiceId)}`}>
                    {alert.practiceName}
                  </Anchor>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {ruleTitle(alert.ruleId)}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {alert.reason}
                  </Text>
                  <SilenceNote alert={alert} />
                  <DeliveryProblems deliveries={alert.notifications} />
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={alert.openedAt} now={now} />
                </Table.Td>
                <Table.Td data-testid="alert-owner">
                  {alert.status === 'ACKNOWLEDGED' ? (
                    <Text size="sm">
                      {alert.acknowledgedBy}
                      {alert.acknowledgedNote ? `: “${alert.acknowledgedNote}”` : ''}
                    </Text>
                  ) : (
                    <Text size="sm" c="red.8" fw={500}>
                      Nobody yet{alert.escalatedAt ? ' · escalated to on-call' : ''}
                    </Text>
                  )}
                </Table.Td>
                {mayAcknowledge && (
                  <Table.Td>
                    {alert.status === 'OPEN' && (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setAcknowledging(alert)}
                        aria-label={`Acknowledge ${ruleTitle(alert.ruleId)} at ${alert.practiceName}`}
                      >
                        Acknowledge
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {/* keyed by alert: a note written for one alert never goes with another */}
      <AcknowledgeDialog
        key={acknowledging?.id ?? 'none'}
        alert={acknowledging}
        onClose={() => setAcknowledging(null)}
      />
    </>
  );
}

function AcknowledgeDialog({ alert, onClose }: { alert: Alert | null; onClose: () => void }) {
  const [note, setNote] = useState('');
  const queryClient = useQueryClient();
  const acknowledge = useMutation({
    mutationFn: (a: Alert) => acknowledgeAlert(a.id, note.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alertKeys.all });
      setNote('');
      onClose();
    },
  });
  const tooLong = note.length > MAX_NOTE;
  return (
    <Modal opened={alert !== null} onClose={onClose} title="Acknowledge the alert">
      {alert && (
        <Stack gap="sm">
          <Text size="sm">
            {ruleTitle(alert.ruleId)} at {alert.practiceName}. The alert stays open until the rule passes again;
            reminders stop.
          </Text>
          <Textarea
            label="Note for the others"
            description="What you are doing about it, e.g. “calling the practice”"
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
            error={tooLong ? `At most ${MAX_NOTE} characters` : undefined}
            rows={3}
            data-autofocus
          />
          {acknowledge.isError && (
            <Text c="red.8" size="sm" role="alert">
              {acknowledge.error instanceof Error ? acknowledge.error.message : 'Could not acknowledge'}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => acknowledge.mutate(alert)} loading={acknowledge.isPending} disabled={tooLong}>
              Acknowledge
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/**
 * Why an alert has no emails on purpose: it opened while the practice's agent was silent (its "not reporting" alert names
 * it), or it was told only once the agent reported again.
 */
export function SilenceNote({ alert }: { alert: Alert }) {
  if (alert.silenced) {
    return (
      <Text size="xs" c="dimmed" data-testid="silence-note">
        {alert.status === 'RESOLVED'
          ? 'not emailed: the agent was not reporting, and it ended before the agent reported again'
          : 'not emailed: the agent is not reporting (its “not reporting” alert names this check)'}
      </Text>
    );
  }
  if (alert.toldAt) {
    return (
      <Text size="xs" c="dimmed" data-testid="silence-note">
        emailed {new Date(alert.toldAt).toLocaleString()}, once the agent reported again
      </Text>
    );
  }
  return null;
}

/** What could not be delivered: given up (failed) or still being retried, with the attempts and the reason. */
export function DeliveryProblems({ deliveries }: { deliveries: AlertDelivery[] }) {
  // SKIPPED: deliberately not sent (a failure that recovered inside a maintenance window); said in grey, with why
  const problems = deliveries.filter(
    (d) => d.status === 'GIVEN_UP' || d.status === 'SKIPPED' || (d.status === 'PENDING' && d.lastError),
  );
  if (problems.length === 0) return null;
  return (
    <Stack gap={2} mt={4} data-testid="delivery-problems">
      {problems.map((d, index) => {
        const what = d.channel === 'WEBHOOK' ? `Webhook ${d.recipient}` : `Email to ${d.recipient}`;
        const tries = `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
        return (
          <Text
            key={index}
            size="xs"
            c={d.status === 'GIVEN_UP' ? 'red.8' : d.status === 'SKIPPED' ? 'dimmed' : 'orange.8'}
            data-testid="delivery-problem"
          >
            {d.status === 'SKIPPED'
              ? `${what}: ${d.lastError ?? 'not sent'}`
              : d.status === 'GIVEN_UP'
                ? `${what}: failed after ${tries} (${d.lastError ?? 'no reason recorded'}); not tried again`
                : `${what}: not delivered yet after ${tries} (${d.lastError}); trying again`}
          </Text>
        );
      })}
    </Stack>
  );
}

function ResolvedAlerts() {
  const now = useNow();
  const alerts = useQuery({ queryKey: alertKeys.resolved, queryFn: ({ signal }) => fetchAlerts('resolved', signal) });
  if (alerts.isPending) return <LoadingState label="Loading alerts…" />;
  if (alerts.isError)
    return <ErrorState title="Could not load the alerts" error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (alerts.data.length === 0) return <Text c="dimmed">No alert has been resolved yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped verticalSpacing="sm" aria-label="Resolved alerts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Practice</Table.Th>
            <Table.Th scope="col">What</Table.Th>
            <Table.Th scope="col">Recovered</Table.Th>
            <Table.Th scope="col">Failing for</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.data.map((alert) => (
            <Table.Tr key={alert.id} data-testid="resolved-alert-row">
              <Table.Th scope="row" fw={500}>
                {alert.practiceName}
              </Table.Th>
              <Table.Td>
                {ruleTitle(alert.ruleId)}
                <SilenceNote alert={alert} />
                <DeliveryProblems deliveries={alert.notifications} />
              </Table.Td>
              <Table.Td>
                <RelativeTime value={alert.resolvedAt} now={now} />
              </Table.Td>
              <Table.Td>
                {alert.resolvedAt ? formatDuration(Date.parse(alert.resolvedAt) - Date.parse(alert.openedAt)) : ''}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
