import { Alert, Anchor, Badge, Button, Code, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isForbidden, isNotFound } from '../api/client';
import { fetchPractice, fetchPracticeCompliance } from '../api/practices';
import type { Agent, CheckResult, PracticeEvent } from '../api/types';
import { useIsProviderAdmin, useMe } from '../auth/me';
import { AddAgentButton } from '../components/AddAgentButton';
import { AddContactButton, AddExceptionButton, RecordReviewButton } from '../components/PracticeForms';
import { PracticeContacts, PracticeExceptions, PracticeReviews } from '../components/PracticePeople';
import { PracticeChecks } from '../components/PracticeChecks';
import { MaintenanceNotice, MaintenancePanel } from '../components/MaintenancePanel';
import { PracticeRules } from '../components/PracticeRules';
import { PracticeSources } from '../components/PracticeSources';
import { ErrorState, LoadingState } from '../components/QueryStates';
import { RelativeTime } from '../components/RelativeTime';
import { RevokeAgentDialog } from '../components/RevokeAgentDialog';
import { StatusBadge } from '../components/StatusBadge';
import { statusRank } from '../lib/status';
import { decommissionedLine, RETENTION_YEARS } from '../lib/tenancy';
import { formatDuration } from '../lib/time';
import { useNow } from '../lib/useNow';
import { FLEET_REFETCH_MS } from './FleetPage';
import { practiceKeys } from '../api/queryKeys';

function BackToFleet() {
  return (
    <Anchor component={Link} to="/">
      ← Back to fleet
    </Anchor>
  );
}

export function PracticePage() {
  const { id = '' } = useParams();
  // keyed: going to another practice starts its page afresh (the enrolment flag, the agent being revoked)
  return <Practice key={id} id={id} />;
}

function Practice({ id }: { id: string }) {
  // a practice just added opens with its enrolment command (AddPracticeButton); once: a reload
  // must not mint another token
  const location = useLocation();
  const navigate = useNavigate();
  const [enrolNow] = useState(() => new URLSearchParams(location.search).get('enrol') === '1');
  useEffect(() => {
    if (enrolNow && location.search !== '') navigate(location.pathname, { replace: true });
  }, [enrolNow, navigate, location.pathname, location.search]);
  const now = useNow();
  const isAdmin = useIsProviderAdmin();
  const me = useMe();
  const role = me.data?.role ?? '';
  // as the API allows: contacts by the provider's staff and group managers; exceptions and plan reviews by admins and group managers
  const mayEditContacts = ['provider-admin', 'provider-technician', 'group-manager'].includes(role);
  const mayGovern = ['provider-admin', 'group-manager'].includes(role);
  const [revoking, setRevoking] = useState<Agent | null>(null);
  const practice = useQuery({
    queryKey: practiceKeys.detail(id),
    queryFn: ({ signal }) => fetchPractice(id, signal),
    refetchInterval: (query) => (isNotFound(query.state.error) ? false : FLEET_REFETCH_MS),
  });
  // the same query PracticeRules runs: its state heads the page, as on the fleet page
  const compliance = useQuery({
    queryKey: practiceKeys.compliance(id),
    queryFn: ({ signal }) => fetchPracticeCompliance(id, signal),
    refetchInterval: FLEET_REFETCH_MS,
    enabled: practice.isSuccess,
  });

  const name = practice.data?.name;
  useEffect(() => {
    document.title = `${name ?? 'Practice'} · Rampart`;
  }, [name]);

  if (practice.isPending) {
    return (
      <Stack gap="md">
        <BackToFleet />
        <LoadingState label="Loading the practice…" />
      </Stack>
    );
  }
  if (practice.isError) {
    if (isForbidden(practice.error)) {
      return (
        <Stack gap="md">
          <Title order={1}>Not allowed</Title>
          <Text>{practice.error.message}</Text>
          <BackToFleet />
        </Stack>
      );
    }
    if (isNotFound(practice.error)) {
      return (
        <Stack gap="md">
          <Title order={1}>Practice not found</Title>
          <Text>{practice.error.message}</Text>
          <BackToFleet />
        </Stack>
      );
    }
    return (
      <Stack gap="md">
        <BackToFleet />
        <Title order={1}>Practice</Title>
        <ErrorState
          title="Could not load the practice"
          error={practice.error}
          onRetry={() => void practice.refetch()}
          retrying={practice.isFetching}
        />
      </Stack>
    );
  }

  const p = practice.data;
  // a decommissioned practice is kept read-only: nothing on its page offers a change
  const live = !p.decommissionedAt;
  return (
    <Stack gap="lg">
      <BackToFleet />
      <div>
        <Group gap="sm" align="center">
          <Title order={1}>{p.name}</Title>
          <StatusBadge status={compliance.data?.status ?? 'UNKNOWN'} />
        </Group>
        <Text c="dimmed">Group: {p.groupName}</Text>
      </div>
      <DecommissionedNotice practice={p} />
      {live && <MaintenanceNotice practice={p} />}
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="practice-reason">
          {compliance.isError
            ? `Could not load the compliance: ${compliance.error.message}`
            : compliance.data?.reason || 'Not evaluated yet'}
        </dd>
        <dt>Last seen</dt>
        <dd>
          <RelativeTime value={p.lastSeenAt} now={now} />
        </dd>
      </dl>

      <PageSection id="rules-heading" title="Rules">
        <PracticeRules practiceId={p.id} now={now} />
      </PageSection>

      <PageSection id="configured-checks-heading" title="Checks">
        <PracticeChecks practiceId={p.id} mayEdit={isAdmin && live} />
      </PageSection>

      <PageSection id="checks-heading" title="Latest check results">
        <ChecksTable checks={p.checks} now={now} />
      </PageSection>

      <PageSection
        id="agents-heading"
        title="Agents"
        action={isAdmin && live && <AddAgentButton practiceId={p.id} practiceName={p.name} openAtOnce={enrolNow} />}
      >
        <AgentsTable agents={p.agents} now={now} onRevoke={isAdmin && live ? setRevoking : undefined} />
        <RevokeAgentDialog agent={revoking} practiceId={p.id} onClose={() => setRevoking(null)} />
      </PageSection>

      {['provider-admin', 'provider-technician'].includes(role) && (
        <PageSection id="sources-heading" title="Sources">
          <PracticeSources practiceId={p.id} mayEdit={isAdmin && live} />
        </PageSection>
      )}

      <PageSection
        id="contacts-heading"
        title="Contacts"
        action={mayEditContacts && live && <AddContactButton practiceId={p.id} />}
      >
        <PracticeContacts practiceId={p.id} mayEdit={mayEditContacts && live} />
      </PageSection>

      {live && (
        <PageSection id="maintenance-heading" title="Maintenance">
          {/* as the API allows: the provider's staff and group managers schedule; practice managers see */}
          <MaintenancePanel target={{ practiceId: p.id }} mayEdit={mayEditContacts} />
        </PageSection>
      )}

      <PageSection
        id="exceptions-heading"
        title="Exceptions"
        action={mayGovern && live && <AddExceptionButton practiceId={p.id} />}
      >
        <PracticeExceptions practiceId={p.id} now={now} mayEdit={mayGovern && live} />
      </PageSection>

      <PageSection
        id="reviews-heading"
        title="Backup plan reviews"
        action={
          mayGovern && live && <RecordReviewButton practiceId={p.id} me={me.data?.name || me.data?.username || ''} />
        }
      >
        <PracticeReviews practiceId={p.id} now={now} />
      </PageSection>

      <PageSection id="events-heading" title="Recent events">
        <EventsTable events={p.recentEvents} now={now} />
      </PageSection>
    </Stack>
  );
}

/** A titled part of the page, with the action that adds to it (for those who may) beside the title. */
function PageSection({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" align="center" mb="xs">
        <Title order={2} id={id}>
          {title}
        </Title>
        {action}
      </Group>
      {children}
    </section>
  );
}

function ChecksTable({ checks, now }: { checks: CheckResult[]; now: number }) {
  if (checks.length === 0) return <Text c="dimmed">No check results yet.</Text>;
  const sorted = [...checks].sort(
    (a, b) => statusRank(a.status) - statusRank(b.status) || a.checkId.localeCompare(b.checkId),
  );
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="sm" aria-labelledby="checks-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Summary</Table.Th>
            <Table.Th scope="col">Observed</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((c) => (
            <Table.Tr key={c.checkId} data-testid="check-row">
              <Table.Th scope="row" fw={500}>
                <Code>{c.checkId}</Code>
                <Text size="xs" c="dimmed">
                  {c.kind}
                </Text>
              </Table.Th>
              <Table.Td>
                <StatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>{c.summary}</Table.Td>
              <Table.Td>
                <RelativeTime value={c.observedAt} now={now} />
              </Table.Td>
              <Table.Td>
                <Details details={c.details} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A detail as a person reads it: lists joined, nested observations as "key: value" pairs. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(describeValue).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, inner]) => `${key}: ${describeValue(inner)}`)
      .join('; ');
  }
  return String(value);
}

function Details({ details }: { details: CheckResult['details'] | null | undefined }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <dl className="details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{describeValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function AgentsTable({
  agents,
  now,
  onRevoke,
}: {
  agents: Agent[];
  now: number;
  /** Given only to provider admins: a "Revoke" action on each active agent. */
  onRevoke?: (agent: Agent) => void;
}) {
  if (agents.length === 0) return <Text c="dimmed">No agents enrolled.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="sm" aria-labelledby="agents-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Host</Table.Th>
            <Table.Th scope="col">Version</Table.Th>
            <Table.Th scope="col">Enrolled</Table.Th>
            <Table.Th scope="col">Last seen</Table.Th>
            <Table.Th scope="col">Certificate expires</Table.Th>
            <Table.Th scope="col">State</Table.Th>
            {onRevoke && (
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((a) => (
            <Table.Tr key={a.id} data-testid="agent-row">
              <Table.Th scope="row" fw={500}>
                {a.hostname}
              </Table.Th>
              <Table.Td>{a.agentVersion}</Table.Td>
              <Table.Td>
                <RelativeTime value={a.enrolledAt} now={now} />
              </Table.Td>
              <Table.Td>
                <RelativeTime value={a.lastSeenAt} now={now} />
                <ClockOffset seconds={a.clockOffsetSeconds} />
                <SetAside count={a.eventsSetAside} since={a.oldestSetAsideAt} />
              </Table.Td>
              <Table.Td>{a.revoked ? '—' : <RelativeTime value={a.certificateExpiresAt} now={now} />}</Table.Td>
              <Table.Td>
                {a.revoked ? (
                  <Badge color="gray.7" variant="outline">
                    Revoked
                  </Badge>
                ) : (
                  'Active'
                )}
              </Table.Td>
              {onRevoke && (
                <Table.Td>
                  {!a.revoked && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => onRevoke(a)}
                      aria-label={`Revoke ${a.hostname}`}
                      data-testid="revoke-agent-button"
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const EVENT_LABEL: Record<string, string> = {
  HEARTBEAT: 'Heartbeat',
  CHECK_RESULT: 'Check result',
  AGENT_ENROLLED: 'Agent enrolled',
};

function EventsTable({ events, now }: { events: PracticeEvent[]; now: number }) {
  if (events.length === 0) return <Text c="dimmed">No events yet.</Text>;
  const newestFirst = [...events].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt));
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped verticalSpacing="xs" aria-labelledby="events-heading">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Event</Table.Th>
            <Table.Th scope="col">Check</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Summary</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {newestFirst.map((e) => (
            <Table.Tr key={e.eventId} data-testid="event-row">
              <Table.Td>
                <RelativeTime value={e.occurredAt} now={now} />
              </Table.Td>
              <Table.Td>{EVENT_LABEL[e.type] ?? e.type}</Table.Td>
              <Table.Td>{e.checkId ? <Code>{e.checkId}</Code> : '—'}</Table.Td>
              <Table.Td>{e.status ? <StatusBadge status={e.status} /> : '—'}</Table.Td>
              <Table.Td>{e.summary}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const SET_ASIDE_SINCE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Events the control plane refused and the agent keeps aside are evidence nobody has seen: say so beside "last seen". */
function SetAside({ count, since }: { count?: number; since?: string | null }) {
  if (!count || count <= 0) {
    return null;
  }
  const at = since ? new Date(since) : null;
  const when = at && !Number.isNaN(at.getTime()) ? ` since ${SET_ASIDE_SINCE.format(at).replace(',', '')}` : '';
  return (
    <Text size="sm" c="orange.9" data-testid="agent-set-aside">
      {count} {count === 1 ? 'event' : 'events'} set aside{when}: the control plane refused{' '}
      {count === 1 ? 'it' : 'them'}
    </Text>
  );
}

/** A server clock more than 5 minutes off the control plane's dates every backup wrongly: say so beside "last seen". */
function ClockOffset({ seconds }: { seconds?: number | null }) {
  if (seconds == null || Math.abs(seconds) <= 300) {
    return null;
  }
  return (
    <Text size="sm" c="orange.9" data-testid="agent-clock-offset">
      clock {formatDuration(Math.abs(seconds) * 1000)} {seconds > 0 ? 'ahead' : 'behind'}
    </Text>
  );
}

/** A decommissioned practice's page is kept so its history can be read: say so, and who did it when. */
function DecommissionedNotice({ practice }: { practice: Parameters<typeof decommissionedLine>[0] }) {
  const line = decommissionedLine(practice);
  if (!line) return null;
  return (
    <Alert color="gray" title={line} data-testid="decommissioned-notice">
      This practice has left the fleet: its agents were revoked and its alerts closed. What it reported is kept here,
      read-only, for {RETENTION_YEARS} years.
    </Alert>
  );
}
